import { Injectable } from '@nestjs/common';
import { In, LessThanOrEqual } from 'typeorm';
import { BlobEntity } from '../entities/blob.entity.js';
import { StoreService } from '../store.service.js';

/** The `blobs` table as the sweeper sees it: reference counts that fell to zero, and which files have a row. */
@Injectable()
export class BlobRepository {
  constructor(private readonly store: StoreService) {}

  /** Blobs no message, upload or queue row refers to any more. */
  unreferenced(): Promise<{ id: string; size: number }[]> {
    return this.store.reader.find(BlobEntity, { where: { refCount: LessThanOrEqual(0) } });
  }

  /** Deletes the row only if it is still unreferenced (a delivery racing with the sweep recreates it); true if deleted. */
  async deleteIfUnreferenced(id: string): Promise<boolean> {
    const deleted = await this.store.transaction((manager) => manager.delete(BlobEntity, { id, refCount: LessThanOrEqual(0) }));
    return (deleted.affected ?? 0) > 0;
  }

  /** The ids among `ids` that have a row. */
  async known(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.store.reader.find(BlobEntity, { select: { id: true }, where: { id: In([...ids]) } });
    return new Set(rows.map((row) => row.id));
  }
}
