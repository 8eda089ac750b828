import { describe, it } from 'vitest';
import type { Stack } from '../stack';

export function stateScenarios(stack: () => Stack): void {
  describe.todo('state', () => {
    it.todo(String(stack));
  });
}
