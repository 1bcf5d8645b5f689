/** Radio stations and their most played song, from fixtures/radio/stations.json. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fixturesPath } from '../shared/fixtures.js';

const Station = z.object({ sign: z.string(), song: z.string(), artist: z.string() });
export type Station = z.infer<typeof Station>;

export function loadStations(path = fixturesPath('radio', 'stations.json')): Map<string, Station> {
  const stations = z.array(Station).parse(JSON.parse(readFileSync(path, 'utf8')));
  return new Map(stations.map((s) => [s.sign, s]));
}

/** The user guide's behaviour: exact, case-sensitive call signs. */
export function topSong(
  stations: ReadonlyMap<string, Station>,
  sign: string,
): { song: string; artist: string } | { error: string } {
  const station = stations.get(sign);
  return station ? { song: station.song, artist: station.artist } : { error: `Station ${sign} not found.` };
}
