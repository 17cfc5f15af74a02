// Stored JSON (a version's grids and report, tens of KB each) travels between the database, the parse threads and
// the answer as UTF-8 bytes where it can: bytes cross to and from a thread without a copy per character (a
// two-byte string is cloned at about 0.5 ms per 75 KB), go into and out of SQLite without decoding, and are the
// answer's body as they are. Only the code that reads the JSON parses it.
/** JSON text, as a string or as its UTF-8 bytes. */
export type JsonText = string | Uint8Array;

export const jsonString = (j: JsonText): string =>
  typeof j === 'string' ? j : Buffer.from(j.buffer, j.byteOffset, j.byteLength).toString('utf8');

export const parseJson = <T>(j: JsonText): T => JSON.parse(jsonString(j)) as T;

/** The UTF-8 bytes (a Buffer over the same memory when they are bytes already). */
export const jsonBytes = (j: JsonText): Buffer =>
  typeof j === 'string' ? Buffer.from(j) : Buffer.from(j.buffer, j.byteOffset, j.byteLength);

/**
 * JSON serialised into UTF-8 bytes, to hand over to another thread. Buffer.from, not TextEncoder: on Node 20 it
 * encodes a two-byte string several times faster; above 4 KB its bytes are its own ArrayBuffer (no shared pool).
 */
export const jsonOwnBytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
