import type { CSSProperties } from 'react';
import { avatarHue, initials } from '../state/people';

interface AvatarProps {
  /** The name the initials come from. */
  readonly name: string;
  /** Picks the colour (a user or conversation id). */
  readonly colorKey: string;
  readonly size?: 'sm' | 'md' | 'lg';
  readonly group?: boolean;
}

/** Initials on a colour derived from the id; decorative (the name is always written next to it). */
export function Avatar({ name, colorKey, size = 'md', group = false }: AvatarProps) {
  const style = { '--avatar-hue': avatarHue(colorKey) } as CSSProperties;
  return (
    <span className={`avatar avatar--${size}${group ? ' avatar--group' : ''}`} style={style} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
