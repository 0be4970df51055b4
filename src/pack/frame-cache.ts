/**
 * A small LRU of decompressed frames. Checkout and transfer read chunks in file order, and
 * consecutive chunks share a frame, so one decompression serves ~32 reads.
 */
export class FrameCache {
  private readonly map = new Map<string, Buffer>()
  private bytes = 0

  constructor(private readonly budget: number) {}

  get(key: string): Buffer | undefined {
    const v = this.map.get(key)
    if (v) {
      this.map.delete(key)
      this.map.set(key, v)
    }
    return v
  }

  set(key: string, value: Buffer): void {
    if (value.length > this.budget) return
    const old = this.map.get(key)
    if (old) {
      this.bytes -= old.length
      this.map.delete(key)
    }
    this.map.set(key, value)
    this.bytes += value.length
    for (const [k, v] of this.map) {
      if (this.bytes <= this.budget) break
      this.map.delete(k)
      this.bytes -= v.length
    }
  }

  clear(): void {
    this.map.clear()
    this.bytes = 0
  }
}
