import { describe, it } from 'vitest';
import type { Stack } from '../stack';

export function dataAndAuthScenarios(stack: () => Stack): void {
  describe.todo('data-and-auth', () => {
    it.todo(String(stack));
  });
}
