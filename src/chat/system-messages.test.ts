import { describe, expect, it } from 'vitest';
import { listOf, systemSentence } from './system-messages';

const names: Record<string, string> = { ann: 'Ann', bob: 'Bob', cat: 'Cat', dan: 'Dan' };
const nameOf = (id: string) => names[id] ?? 'Someone';

describe('systemSentence', () => {
  it('says who did what to whom, from the directory', () => {
    expect(systemSentence({ action: 'ADDED', actor: 'ann', targets: ['cat', 'dan'] }, 'bob', nameOf)).toBe('Ann added Cat and Dan');
    expect(systemSentence({ action: 'REMOVED', actor: 'ann', targets: ['cat'] }, 'bob', nameOf)).toBe('Ann removed Cat');
    expect(systemSentence({ action: 'LEFT', actor: 'cat', targets: ['cat'] }, 'bob', nameOf)).toBe('Cat left');
    expect(systemSentence({ action: 'ROLE_CHANGED', actor: 'ann', targets: ['bob'], role: 'OWNER' }, 'cat', nameOf)).toBe('Bob is now an owner');
    expect(systemSentence({ action: 'ROLE_CHANGED', actor: 'ann', targets: ['bob'], role: 'MEMBER' }, 'cat', nameOf)).toBe('Bob is no longer an owner');
  });

  it('calls the signed-in user "you"', () => {
    expect(systemSentence({ action: 'ADDED', actor: 'ann', targets: ['bob'] }, 'bob', nameOf)).toBe('Ann added you');
    expect(systemSentence({ action: 'REMOVED', actor: 'bob', targets: ['cat'] }, 'bob', nameOf)).toBe('You removed Cat');
    expect(systemSentence({ action: 'ROLE_CHANGED', actor: 'ann', targets: ['bob'], role: 'OWNER' }, 'bob', nameOf)).toBe('You are now an owner');
  });

  it('lists names the English way', () => {
    expect(listOf([])).toBe('');
    expect(listOf(['Cat'])).toBe('Cat');
    expect(listOf(['Cat', 'Dan', 'Eve'])).toBe('Cat, Dan and Eve');
  });
});
