import { describe, it } from 'vitest';
import type { Stack } from '../stack';

export function liveScenarios(stack: () => Stack): void {
  describe.todo('live', () => {
    it.todo(String(stack));
  });
}
