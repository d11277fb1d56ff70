/** A job for a pool thread; `seq` pairs it with its reply. */
export interface WorkerJob<P> {
  seq: number;
  payload: P;
}

export type WorkerReply<R> = { seq: number; ok: true; value: R } | { seq: number; ok: false; message: string };
