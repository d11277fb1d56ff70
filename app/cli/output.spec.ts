import { describe, expect, it } from 'vitest';
import { humanSize, printListing, type Listing } from './output.js';

const LISTING: Listing<{ name: string; size: number }> = {
  columns: [
    { header: 'NAME', value: (row) => row.name },
    { header: 'SIZE', value: (row) => humanSize(row.size) },
  ],
  json: (row) => ({ name: row.name, sizeBytes: row.size }),
};

function lines(rows: { name: string; size: number }[], json: boolean): string[] {
  const out: string[] = [];
  printListing(rows, LISTING, json, (line) => out.push(line));
  return out;
}

describe('printListing', () => {
  it('aligns columns under a header and pads no line end', () => {
    expect(
      lines(
        [
          { name: 'ann@example.org', size: 1536 },
          { name: 'bo@x.org', size: 0 },
        ],
        false,
      ),
    ).toEqual(['NAME             SIZE', 'ann@example.org  1.5K', 'bo@x.org         0B']);
  });

  it('prints nothing for no rows, and an empty array with --json', () => {
    expect(lines([], false)).toEqual([]);
    expect(lines([], true)).toEqual(['[]']);
  });

  it('prints named fields with --json', () => {
    expect(JSON.parse(lines([{ name: 'a', size: 5 }], true).join('\n'))).toEqual([{ name: 'a', sizeBytes: 5 }]);
  });
});

describe('humanSize', () => {
  it('uses the largest unit and one decimal below ten', () => {
    expect([0, 512, 1024, 1536, 10 * 1024 * 1024, 2 * 1024 ** 3, 5.25 * 1024 ** 4].map(humanSize)).toEqual([
      '0B',
      '512B',
      '1K',
      '1.5K',
      '10M',
      '2G',
      '5.3T',
    ]);
  });
});
