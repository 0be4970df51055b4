/**
 * Every job a worker thread runs, and the one function that runs a job (in a worker, or inline).
 * The job kinds live with their owners: chunk hashing and compression in chunk/chunk-jobs.ts,
 * frame verification and re-framing in pack/frame-job.ts.
 */
import { type ChunkJob, type ChunkJobReply, runChunkJob } from '../chunk/chunk-jobs.js'
import { type FrameJob, type FrameJobReply, runFrameJob } from '../pack/frame-job.js'

export type Job = ChunkJob | FrameJob
export type JobReply = ChunkJobReply | FrameJobReply

/** The reply, and the buffers it may transfer back (each owning its whole ArrayBuffer). */
export function runJob(job: Job): { reply: JobReply; transfer: ArrayBuffer[] } {
  return job.type === 'hash' || job.type === 'compress' ? runChunkJob(job) : runFrameJob(job)
}
