import { describe, expect, it } from 'vitest';
import { avatarHue, initials, normalizeForSearch, searchPeople } from './people';

const people = [
  { id: 'me', displayName: 'Me Myself', email: 'me@example.com' },
  { id: 'zoe', displayName: 'Zoë Ångström', email: 'zoe@example.com' },
  { id: 'bob', displayName: 'Bob Baker', email: 'bob@example.com' },
  { id: 'ann', displayName: 'Ann Archer', email: 'aa@work.example' },
];

describe('searchPeople', () => {
  it('lists everyone but me, by display name, for a blank query', () => {
    expect(searchPeople(people, '  ', 'me').map((p) => p.id)).toEqual(['ann', 'bob', 'zoe']);
  });

  it('matches display names and e-mails, case and accent insensitive', () => {
    expect(searchPeople(people, 'zoe ANG', 'me').map((p) => p.id)).toEqual(['zoe']);
    expect(searchPeople(people, 'work.example', 'me').map((p) => p.id)).toEqual(['ann']);
    expect(searchPeople(people, 'baker bob', 'me').map((p) => p.id)).toEqual(['bob']);
    expect(searchPeople(people, 'nobody', 'me')).toEqual([]);
  });

  it('excludes me whatever the owner-entry form', () => {
    expect(searchPeople(people, 'myself', 'me::me')).toEqual([]);
  });

  it('normalizes text', () => {
    expect(normalizeForSearch('  Zoë   Ångström ')).toBe('zoe angstrom');
  });
});

describe('avatars', () => {
  it('takes the first and last initials', () => {
    expect(initials('Ann Archer')).toBe('AA');
    expect(initials('ann b. c. archer')).toBe('AA');
    expect(initials('bob')).toBe('B');
    expect(initials('  ')).toBe('?');
    expect(initials('émile zola')).toBe('ÉZ');
  });

  it('gives a stable hue per id', () => {
    expect(avatarHue('abc')).toBe(avatarHue('abc'));
    expect(avatarHue('abc')).toBeGreaterThanOrEqual(0);
    expect(avatarHue('abc')).toBeLessThan(360);
    expect(avatarHue('abc')).not.toBe(avatarHue('abd'));
  });
});
