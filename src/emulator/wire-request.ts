/** The Converse request body as the emulator reads it: untyped JSON, checked rule by rule. */
import { isJsonObject } from '../../bridge/entries/converse.js';

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type Obj = { [key: string]: Json };

/** The members of a Converse request body the emulator reads (others pass unread, as Bedrock ignores them). */
export interface WireRequest {
  messages?: Json;
  system?: Json;
  toolConfig?: Json;
  inferenceConfig?: Json;
}

/** Whether a value is a JSON object. */
/** A JSON object (not null, not an array): the bridge's one test, shared by every emulator module. */
export const isObj: (v: Json | undefined) => v is Obj = isJsonObject;
/** The value as an array, or empty. */
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
/** The member name of a union block (`text`, `toolUse`, …). */
export const blockKind = (block: Json): string => (isObj(block) ? (Object.keys(block)[0] ?? '') : '');
