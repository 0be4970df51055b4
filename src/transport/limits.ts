/**
 * The numbers PROTOCOL.md fixes for ankagit/1: what a peer may send, refused before anything is
 * allocated or decompressed. Both sides import them, so client and server agree by construction.
 */
import { CHUNK_MAX } from '../chunk/chunker.js'
import type { ObjectKind } from '../objects/id.js'
import { FRAME_RAW_MAX } from '../pack/zstd.js'

export const PROTOCOL_NAME = 'ankagit/1'
export const PROTOCOL_HEADER = 'ankagit-protocol'
export const PROTOCOL_VERSION = '1'

/** Ids per `chunks` or `missing` request: 8 MiB of body, 16 GiB of 64 KiB chunks, so a transfer's
 * request count stays flat as disks grow. */
export const IDS_PER_REQUEST = 262_144
/** Parallel chunk streams a client may open; 2 keep both cores of a 2-core host verifying. */
export const STREAMS_MAX = 4
export const WANTS_MAX = 1024
export const HAVES_MAX = 1024
export const REF_UPDATES_MAX = 1024
export const JSON_BODY_MAX = 1 << 20
export const OBJECTS_PER_FRAME_MAX = 65_536
/** A stored frame is at most FRAME_RAW_MAX raw; zstd's worst case adds well under 1 MiB to that. */
export const FRAME_BYTES_MAX = FRAME_RAW_MAX + (1 << 20)

/** Largest body per kind: a chunk is at most CHUNK_MAX; a file node at most 1024 entries of
 * 1 + 8 + 32 bytes plus a header (~42 KiB); vm trees, commits and tags have generous caps. */
export const OBJECT_SIZE_MAX: Readonly<Record<ObjectKind, number>> = Object.freeze({
  chunk: CHUNK_MAX,
  file: 64 << 10,
  vm: 4 << 20,
  commit: 1 << 20,
  tag: 1 << 20,
})

export const CONTENT_JSON = 'application/json'
export const CONTENT_IDS = 'application/x-ankagit-ids'
export const CONTENT_FRAMES = 'application/x-ankagit-frames'
