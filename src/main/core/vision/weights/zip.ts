/**
 * A minimal ZIP reader and writer: enough for torch.save archives (stored entries, 64-byte
 * aligned data via an "FB" padding extra field, as torch's writer does). The reader also takes
 * deflated entries (a re-zipped archive) and ZIP64 records (archives over 4 GiB).
 */
import zlib from 'node:zlib';
import { FramelabError } from '../../../../shared/errors';
import { readRegularFile } from '../../workspace/inputPaths';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
}

export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();

  constructor(
    private readonly buf: Buffer,
    private readonly file: string,
  ) {
    const eocd = this.findEocd();
    let count = buf.readUInt16LE(eocd + 10);
    let cdSize = buf.readUInt32LE(eocd + 12);
    let cdOffset = buf.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff || cdSize === 0xffffffff) {
      // ZIP64: the locator sits just before the EOCD record.
      const loc = eocd - 20;
      if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) this.fail('its ZIP64 end record is missing');
      const z64 = Number(buf.readBigUInt64LE(loc + 8));
      if (buf.readUInt32LE(z64) !== 0x06064b50) this.fail('its ZIP64 end record is damaged');
      count = Number(buf.readBigUInt64LE(z64 + 32));
      cdSize = Number(buf.readBigUInt64LE(z64 + 40));
      cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
    }
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) this.fail('its central directory is damaged');
      const method = buf.readUInt16LE(p + 10);
      const crc = buf.readUInt32LE(p + 16);
      let compressedSize = buf.readUInt32LE(p + 20);
      let size = buf.readUInt32LE(p + 24);
      const nameLen = buf.readUInt16LE(p + 28);
      const extraLen = buf.readUInt16LE(p + 30);
      const commentLen = buf.readUInt16LE(p + 32);
      let localHeaderOffset = buf.readUInt32LE(p + 42);
      const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
      // ZIP64 extended information: 64-bit values for the fields that are 0xffffffff.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff) {
            size = Number(buf.readBigUInt64LE(q));
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(buf.readBigUInt64LE(q));
            q += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(buf.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      this.entries.set(name, { name, method, compressedSize, size, crc, localHeaderOffset });
      p = extraEnd + commentLen;
    }
  }

  static open(file: string): ZipReader {
    let buf: Buffer;
    try {
      // Not a FIFO or a device: either would block or never end.
      buf = readRegularFile(file, 'file');
    } catch (err) {
      if (err instanceof FramelabError) throw err;
      throw new FramelabError('INVALID_INPUT', `Cannot read ${file}: ${(err as Error).message}`);
    }
    return new ZipReader(buf, file);
  }

  private fail(why: string): never {
    throw new FramelabError('INVALID_INPUT', `${this.file} is not a readable ZIP archive: ${why}.`);
  }

  private findEocd(): number {
    const min = Math.max(0, this.buf.length - 22 - 0xffff);
    for (let i = this.buf.length - 22; i >= min; i--) if (this.buf.readUInt32LE(i) === 0x06054b50) return i;
    this.fail('no end-of-central-directory record (a .pth from torch.save before 1.6 is a plain pickle, not supported)');
  }

  /** The entry's bytes (a view for stored entries), CRC-checked. */
  read(name: string): Buffer {
    const entry = this.entries.get(name);
    if (!entry) throw new FramelabError('INVALID_INPUT', `${this.file} has no entry "${name}".`);
    const p = entry.localHeaderOffset;
    if (this.buf.readUInt32LE(p) !== 0x04034b50) this.fail(`the local header of "${name}" is damaged`);
    const start = p + 30 + this.buf.readUInt16LE(p + 26) + this.buf.readUInt16LE(p + 28);
    const raw = this.buf.subarray(start, start + entry.compressedSize);
    let data: Buffer;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) data = zlib.inflateRawSync(raw);
    else this.fail(`entry "${name}" uses compression method ${entry.method}`);
    if (data.length !== entry.size) this.fail(`entry "${name}" is truncated`);
    if (crc32(data) !== entry.crc) this.fail(`entry "${name}" fails its CRC check`);
    return data;
  }
}

/** Writes a stored (uncompressed) ZIP whose entry data start on multiples of `align` bytes. */
export function writeZip(entries: { name: string; data: Uint8Array }[], align = 64): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    if (data.length >= 0xffffffff) throw new FramelabError('INVALID_INPUT', `ZIP entry "${name}" is too large (over 4 GiB).`);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    let headerLen = 30 + nameBuf.length;
    // An "FB" extra field pads the data to the alignment (as torch's PyTorchStreamWriter does).
    const pad = (align - ((offset + headerLen + 4) % align)) % align;
    const extra = Buffer.alloc(4 + pad, 'Z');
    extra.writeUInt16LE(0x4246, 0); // "FB"
    extra.writeUInt16LE(pad, 2);
    headerLen += extra.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(extra.length, 28);
    chunks.push(local, nameBuf, extra, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4); // version made by
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(0, 12);
    cd.writeUInt16LE(0x21, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(nameBuf.length, 28);
    cd.writeUInt16LE(0, 30); // no extra in the central directory
    cd.writeUInt16LE(0, 32);
    cd.writeUInt16LE(0, 34);
    cd.writeUInt16LE(0, 36);
    cd.writeUInt32LE(0, 38);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, nameBuf);
    offset += headerLen + data.length;
    if (offset >= 0xffffffff) throw new FramelabError('INVALID_INPUT', 'The archive would exceed 4 GiB (ZIP64 writing is not supported).');
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cdBuf, eocd]);
}
