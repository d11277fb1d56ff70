// A1 COMPRESS DEFLATE
import { bad, defineCommand, no, ok } from '../imap-command.js';

/** RFC 4978; the tagged OK is the last uncompressed line, then both directions are raw DEFLATE. */
export const compressCommand = defineCommand({
  verbs: ['COMPRESS'],
  states: ['authenticated', 'selected'],
  parse(args) {
    const mechanism = args.atom('compression mechanism').toUpperCase();
    args.end();
    return mechanism;
  },
  async run(ctx, mechanism) {
    if (mechanism !== 'DEFLATE') return bad(`Unknown compression mechanism ${mechanism.slice(0, 20)}`);
    if (ctx.session.compressed) return no('Compression is already active', 'COMPRESSIONACTIVE');
    ctx.session.compressed = true;
    return {
      ...ok('DEFLATE active'),
      after: async () => {
        ctx.compress();
      },
    };
  },
});
