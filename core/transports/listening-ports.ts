import { Injectable } from '@nestjs/common';
import type { BoundPorts } from './bound-ports.js';

/**
 * The ports the mail listeners of this process bound, once they are open (TransportsService records them), for
 * the parts that tell clients where to connect (client setup documents). Empty before start.
 */
@Injectable()
export class ListeningPorts {
  private bound: BoundPorts = {};

  record(bound: BoundPorts): void {
    this.bound = { ...bound };
  }

  get ports(): BoundPorts {
    return { ...this.bound };
  }
}
