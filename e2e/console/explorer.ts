import { describe, it } from 'vitest';
import type { Stack } from '../stack';

export function explorerScenarios(stack: () => Stack): void {
  describe.todo('explorer', () => {
    it.todo(String(stack));
  });
}
