// Runs in a worker thread: appends each batch to this writer's pack with blocking calls, so a batch costs the event
// loop one message instead of thread-pool round trips per blob.
import { parentPort, workerData } from 'node:worker_threads';
import type { BlobWriteBatch, BlobWriteBatchReply } from './blob-write.protocol.js';
import { PackWriter } from './pack-writer.js';

const writer = new PackWriter((workerData as { packDir: string }).packDir);

parentPort!.on('message', (batch: BlobWriteBatch) => {
  let replies: BlobWriteBatchReply;
  try {
    const placements = writer.append(batch);
    replies = batch.map(({ seq }, i) => ({ seq, ok: true, ...placements[i]! }));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    replies = batch.map(({ seq }) => ({ seq, ok: false, code: code ?? null, message }));
  }
  parentPort!.postMessage(replies);
});
