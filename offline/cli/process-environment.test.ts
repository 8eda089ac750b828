import { describe, expect, it } from 'vitest';
import { sandboxProcessEnvironment } from './process-environment.mjs';

describe('sandboxProcessEnvironment', () => {
  it("adds glibc's arena limit to the environment it is given and keeps everything else", () => {
    expect(sandboxProcessEnvironment({ PATH: '/bin', LANG: 'C.UTF-8' })).toEqual({ PATH: '/bin', LANG: 'C.UTF-8', MALLOC_ARENA_MAX: '2' });
  });

  it('keeps a limit the developer set', () => {
    expect(sandboxProcessEnvironment({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8' });
  });
});
