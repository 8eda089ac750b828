import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { modPow, modPowBigInt, N } from './srp';

const random = (bytes: number): bigint => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

describe('modPow', () => {
  it('agrees with square-and-multiply modulo N for random bases and exponents of every size SRP uses', () => {
    for (let i = 0; i < 20; i += 1) {
      const base = random(384) % N;
      for (const exponent of [random(32), random(128), random(384)]) {
        expect(modPow(base, exponent, N)).toBe(modPowBigInt(base, exponent, N));
      }
    }
  });

  it('handles what OpenSSL refuses as a peer key, negative bases and other moduli on the BigInt path', () => {
    const cases: [bigint, bigint, bigint][] = [
      [0n, 5n, N],
      [1n, 5n, N],
      [N - 1n, 3n, N],
      [N + 2n, 7n, N],
      [-3n, 3n, N],
      [2n, 0n, N],
      [7n, 13n, 1_000_003n],
    ];
    for (const [base, exponent, modulus] of cases) {
      expect(modPow(base, exponent, modulus)).toBe(modPowBigInt(((base % modulus) + modulus) % modulus, exponent, modulus));
    }
    expect(modPow(N - 1n, 2n, N)).toBe(1n);
    expect(modPow(2n, 10n, N)).toBe(1024n);
  });
});
