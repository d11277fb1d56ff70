import { describe, expect, it } from 'vitest';
import { pinyinOf, searchKeys, sortKeyOf } from './search-keys.js';

describe('search keys', () => {
  it('spells Chinese names in pinyin with initials', () => {
    expect(pinyinOf('张伟')).toEqual({ full: 'zhangwei', initials: 'zw' });
    expect(pinyinOf('Ann Lee')).toBeNull();
  });

  it('reads a polyphonic surname as a surname', () => {
    expect(pinyinOf('单田芳')?.full).toBe('shantianfang');
  });

  it('keys a person by name, pinyin, initials, address, phone digits and title', () => {
    const keys = searchKeys({ name: '张伟', address: 'zhang.wei@example.org', title: 'Sales Manager', phone: '+86 10-1234', mobile: '' });
    expect(keys).toEqual(
      expect.arrayContaining(['张伟', 'zhangwei', 'zw', 'zhang.wei@example.org', '+86 10-1234', '86101234', 'sales manager']),
    );
    expect(searchKeys({ name: 'Ann Lee', address: 'ann@x.example', title: '', phone: '', mobile: '' })).toEqual([
      'ann lee',
      'lee',
      'ann@x.example',
    ]);
  });

  it('sorts Chinese names by their pinyin', () => {
    expect(sortKeyOf('张伟')).toBe('zhangwei');
    expect(sortKeyOf('Ann Lee')).toBe('ann lee');
  });
});
