/**
 * Remote: the client's view of a daemon repository, one verb per endpoint of PROTOCOL.md. git's
 * transport has four verbs because its negotiation hides inside fetch and push; here the client
 * drives each step itself (chunk-level "which do you lack", parallel chunk streams, uploads before
 * the ref update), so fetchPack and pushRefs orchestrate and any Remote can carry them.
 * Implementation: HttpRemote (http and https).
 */
import type { AbortOptions, ProgressOptions } from '../options.js'
import type { ObjectId } from '../objects/id.js'
import type { CompressedFrame } from '../pack/frame.js'
import type { Advertisement, NegotiateRequest, RefUpdateResult, StreamCount, UploadResult, WireRefUpdate } from './messages.js'

/** Counters of everything a Remote sent and received; tests assert on them, commands report them. */
export interface TransferStats {
  requests: number
  /** Request and response body bytes. */
  bytesSent: number
  bytesReceived: number
  framesSent: number
  framesReceived: number
  objectsSent: number
  objectsReceived: number
}

export function emptyStats(): TransferStats {
  return { requests: 0, bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, objectsSent: 0, objectsReceived: 0 }
}

/** A received frame whose every object has been verified (PROTOCOL.md § 3). */
export interface VerifiedFrame extends CompressedFrame {
  /** The decompressed frame, for frames the caller needs to read (metadata). */
  raw?: Buffer
}

export interface Remote {
  /** The repository's URL, without credentials. */
  readonly url: string
  /** Running totals over every call so far. */
  readonly stats: TransferStats

  /** The refs advertisement. NotFoundError when the repository does not exist. */
  advertise(opts?: AbortOptions): Promise<Advertisement>

  /** One round of want/have: resolves once the server has answered with the haves it holds; then
   *  `frames` yields the metadata it sends, each frame verified, with its raw bytes. */
  negotiate(req: NegotiateRequest, opts?: AbortOptions): Promise<{ common: ObjectId[]; frames: AsyncIterable<VerifiedFrame> }>

  /** Streams frames holding every chunk of `ids` (an id-list body of distinct chunk ids), each
   *  frame verified before it is yielded. A frame may hold chunks not asked for. */
  fetchChunks(ids: Buffer, opts?: AbortOptions): AsyncIterable<VerifiedFrame>

  /** Exactly what fetchChunks(ids) would receive: frames, objects and body bytes. */
  measureChunks(ids: Buffer, opts?: AbortOptions): Promise<StreamCount>

  /** The ids among `ids` (an id-list body) the server's store lacks, in order, as an id-list body. */
  missing(ids: Buffer, opts?: AbortOptions): Promise<Buffer>

  /** Sends frames as one upload stream; resolves once the server has stored them durably. */
  upload(frames: AsyncIterable<CompressedFrame>, opts?: ProgressOptions): Promise<UploadResult>

  /** Compare-and-swap of refs on the server, all or none. RefConflictError when a ref moved or an
   *  update is not a fast-forward; NotFoundError when an object is missing on the server. */
  updateRefs(updates: readonly WireRefUpdate[], opts?: AbortOptions): Promise<RefUpdateResult>

  /** Ends keep-alive connections and worker threads this remote started. */
  close(): Promise<void>
}
