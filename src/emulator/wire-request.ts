/** The Converse request body as the emulator reads it: untyped JSON, checked rule by rule. */

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
export const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The value as an array, or empty. */
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
/** The member name of a union block (`text`, `toolUse`, …). */
export const blockKind = (block: Json): string => (isObj(block) ? (Object.keys(block)[0] ?? '') : '');
