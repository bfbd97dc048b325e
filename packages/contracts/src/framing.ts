import { decodeError, type ContractError } from './errors.ts';

// Confluent wire format: magic byte 0, then the writer schema id as a 4-byte big-endian int.
// Kept so that off-the-shelf Kafka tooling (kcat -s avro, Connect, ksqlDB) can read our topics.
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** The 5-byte header framing a message written with `schemaId`. */
export function frameHeader(schemaId: number): Buffer {
  const b = Buffer.allocUnsafe(HEADER_BYTES);
  b[0] = MAGIC_BYTE;
  b.writeUInt32BE(schemaId, 1);
  return b;
}

/** Writer schema id, or the DECODE error explaining why the header is unusable. */
export function readSchemaId(bytes: unknown): number | ContractError {
  if (!Buffer.isBuffer(bytes)) return decodeError('CS_DECODE_NOT_BUFFER', bytes === null ? 'null' : typeof bytes);
  if (bytes.length < HEADER_BYTES) return decodeError('CS_DECODE_TOO_SHORT', `${bytes.length} bytes`);
  if (bytes[0] !== MAGIC_BYTE) return decodeError('CS_DECODE_BAD_MAGIC', `0x${bytes[0]!.toString(16).padStart(2, '0')}`);
  return bytes.readUInt32BE(1);
}

/** Zig-zag varint (Avro int/long) at `pos`; null when it runs off the end or past 10 bytes. */
export function readVarint(buf: Buffer, pos: number): { value: number; next: number } | null {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos + i];
    if (b === undefined) return null;
    n += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) {
      const value = n % 2 === 1 ? -(n + 1) / 2 : n / 2;
      return { value, next: pos + i + 1 };
    }
  }
  return null;
}

/** Zig-zag varint bytes of an Avro int/long (union branch indexes, block counts). */
export function varintBytes(n: number): Buffer {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 0x80) {
    out.push((z & 0x7f) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}
