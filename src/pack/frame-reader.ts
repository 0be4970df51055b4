/**
 * Reads stored frames for a sender. A sender often walks a pack's frames in order (one commit's new
 * chunks), and loading each ~1 MiB frame on its own cost an open, fstat, read and close per frame
 * (~1 ms of the daemon's event loop each, ~0.6 s of a 300 MB clone). So when a frame follows the one
 * read before it from the same pack, the reader loads a 2 MiB window there and serves the next
 * frames from it. Frames met out of order (a VM's chunks interleave old and new commits' packs) are
 * read alone: windows for them were mostly waste, reading 8 MiB per frame and holding ~200 MiB.
 * At most four packs are followed at a time, so a reader holds at most 8 MiB of windows; the frames
 * it hands out are views that keep their window alive while they are being sent. 4 MiB windows took
 * the push of a 64 GiB VM (3 GiB of files) to 193-211 MiB peak RSS, 2 MiB to 182-187 MiB, and a clone
 * served by the daemon was no slower (8 GiB VM: 4.1-4.5 s against 4.2-5.0 s).
 */
import type { AbortOptions } from '../options.js'
import { CorruptObjectError } from '../errors.js'
import { type ObjectLocation, type ObjectStore, packKey } from '../objects/object-store.js'

const WINDOW_BYTES = 2 << 20
const PACKS_FOLLOWED = 4

interface Window {
  offset: number
  end: number
  data: Promise<Buffer>
}

interface PackState {
  /** Where the last frame read from this pack ended. */
  next: number
  window?: Window
}

export class FrameReader {
  private readonly packs = new Map<string, PackState>()

  constructor(private readonly store: ObjectStore, private readonly windowBytes = WINDOW_BYTES) {}

  /** The frame's compressed bytes, exactly as stored (possibly a view into a window). */
  async read(loc: ObjectLocation, opts?: AbortOptions): Promise<Buffer> {
    const { frameOffset, frameLength } = loc.entry
    const state = this.follow(loc.pack)
    let w = state.window
    if (!w || frameOffset < w.offset || frameOffset + frameLength > w.end) {
      const length = frameOffset === state.next ? Math.max(frameLength, this.windowBytes) : frameLength
      w = { offset: frameOffset, end: frameOffset + length, data: this.store.backend.load(packKey(loc.pack), { offset: frameOffset, length, signal: opts?.signal }) }
      if (length > frameLength) {
        state.window = w
        const loaded = w
        // A failed load must not stay cached for the frames after it.
        loaded.data.catch(() => {
          if (state.window === loaded) state.window = undefined
        })
      }
    }
    state.next = frameOffset + frameLength
    const buf = await w.data
    const start = frameOffset - w.offset
    if (buf.length < start + frameLength) throw new CorruptObjectError(`pack ${loc.pack} is corrupt: truncated at ${frameOffset}`, { pack: loc.pack })
    const view = buf.subarray(start, start + frameLength)
    // A view that is the whole of a kept window could be transferred to a worker by the caller,
    // detaching the window under later reads of the same frame: hand out a copy instead.
    return state.window === w && view.length === buf.buffer.byteLength ? Buffer.from(view) : view
  }

  private follow(pack: string): PackState {
    let state = this.packs.get(pack)
    if (state) this.packs.delete(pack)
    else state = { next: -1 }
    this.packs.set(pack, state)
    if (this.packs.size > PACKS_FOLLOWED) this.packs.delete(this.packs.keys().next().value!)
    return state
  }
}
