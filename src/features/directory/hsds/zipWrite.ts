import { promisify } from 'node:util'
import zlib from 'node:zlib'

/**
 * The tabular export's zip, deflated by node:zlib in libuv's thread pool: a directory of 20,000 services makes
 * 150 MB of CSV, which a deflate in JavaScript on the event loop takes seconds over while the server answers no one.
 * Each file is deflated, and its CRC-32 computed, on a thread of its own, so the files are done side by side, and the
 * zip (local headers, data, central directory) is assembled around them. A fixed date and time on every file: the same directory always gives
 * the same bytes.
 */

const gzip = promisify(zlib.gzip)

/**
 * The deflated data and its CRC-32, both computed in the thread pool: a gzip member is a 10-byte header (no name or
 * extra field, as node:zlib writes it), the raw deflate data, then the CRC-32 and the size, little-endian.
 */
async function deflateWithCrc(data: Buffer, level: number): Promise<{ stored: Buffer; crc: number }> {
  const member = await gzip(data, { level })
  if (member[0] !== 0x1f || member[1] !== 0x8b || member[3] !== 0) throw new Error('unexpected gzip header')
  return { stored: member.subarray(10, member.length - 8), crc: member.readUInt32LE(member.length - 8) }
}

/** 2000-01-01 00:00 in MS-DOS form: ((2000 - 1980) << 9) | (1 << 5) | 1, and midnight. */
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1
const DOS_TIME = 0

export async function zipFiles(files: Record<string, string>, level = 6): Promise<Uint8Array> {
  const entries = await Promise.all(
    Object.entries(files).map(async ([name, text]) => {
      const data = Buffer.from(text, 'utf8')
      return { name: Buffer.from(name, 'utf8'), data, ...(await deflateWithCrc(data, level)) }
    }),
  )
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6) // names are UTF-8
    local.writeUInt16LE(8, 8) // deflate
    local.writeUInt16LE(DOS_TIME, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(e.crc, 14)
    local.writeUInt32LE(e.stored.length, 18)
    local.writeUInt32LE(e.data.length, 22)
    local.writeUInt16LE(e.name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(8, 10)
    central.writeUInt16LE(DOS_TIME, 12)
    central.writeUInt16LE(DOS_DATE, 14)
    central.writeUInt32LE(e.crc, 16)
    central.writeUInt32LE(e.stored.length, 20)
    central.writeUInt32LE(e.data.length, 24)
    central.writeUInt16LE(e.name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, e.name, e.stored)
    centrals.push(central, e.name)
    offset += 30 + e.name.length + e.stored.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, directory, end]))
}
