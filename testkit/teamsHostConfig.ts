/**
 * The colours of Microsoft Teams' light and dark themes as the Adaptive Cards designer's host configs
 * give them (microsoft/AdaptiveCards, samples/HostConfig/microsoft-teams-light.json and
 * microsoft-teams-dark.json): each container style's background and its text colours. Colours are
 * `#RRGGBB` or `#AARRGGBB` (alpha first, as host configs write them).
 */

export const CONTAINER_STYLES = [
  'default',
  'emphasis',
  'accent',
  'good',
  'attention',
  'warning',
] as const;
export type ContainerStyle = (typeof CONTAINER_STYLES)[number];

export const TEXT_COLORS = [
  'default',
  'dark',
  'light',
  'accent',
  'good',
  'warning',
  'attention',
] as const;
export type TextColor = (typeof TEXT_COLORS)[number];

export interface Shades {
  readonly default: string;
  readonly subtle: string;
}

export interface ContainerColors {
  readonly backgroundColor: string;
  readonly foregroundColors: Readonly<Record<TextColor, Shades>>;
}

export type ThemeColors = Readonly<Record<ContainerStyle, ContainerColors>>;

const LIGHT_TEXT: Readonly<Record<TextColor, Shades>> = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};

const DARK_TEXT: Readonly<Record<TextColor, Shades>> = {
  default: { default: '#ffffffff', subtle: '#bfffffff' },
  dark: { default: '#ff201f1f', subtle: '#ff2d2c2c' },
  light: { default: '#ffffffff', subtle: '#bfffffff' },
  accent: { default: '#ffa6a7dc', subtle: '#ff8b8cc7' },
  good: { default: '#ff92c353', subtle: '#e592c353' },
  warning: { default: '#fff8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#ffd74654', subtle: '#e5d74654' },
};

/** Dark theme's coloured containers keep their light backgrounds, so their default text is dark. */
const DARK_ON_LIGHT: Readonly<Record<TextColor, Shades>> = {
  ...DARK_TEXT,
  default: { default: '#ff201f1f', subtle: '#ff2d2c2c' },
};

const COLOURED_BACKGROUNDS = {
  accent: '#C7DEF9',
  good: '#CCFFCC',
  attention: '#FFC5B2',
  warning: '#FFE2B2',
} as const;

function theme(
  backgrounds: { readonly default: string; readonly emphasis: string },
  text: Readonly<Record<TextColor, Shades>>,
  onColoured: Readonly<Record<TextColor, Shades>>,
): ThemeColors {
  const coloured = (backgroundColor: string): ContainerColors => ({
    backgroundColor,
    foregroundColors: onColoured,
  });
  return {
    default: { backgroundColor: backgrounds.default, foregroundColors: text },
    emphasis: { backgroundColor: backgrounds.emphasis, foregroundColors: text },
    accent: coloured(COLOURED_BACKGROUNDS.accent),
    good: coloured(COLOURED_BACKGROUNDS.good),
    attention: coloured(COLOURED_BACKGROUNDS.attention),
    warning: coloured(COLOURED_BACKGROUNDS.warning),
  };
}

export const TEAMS_THEMES: Readonly<Record<'light' | 'dark', ThemeColors>> = {
  light: theme({ default: '#ffffff', emphasis: '#fff9f8f7' }, LIGHT_TEXT, LIGHT_TEXT),
  dark: theme({ default: '#ff2d2c2c', emphasis: '#ff292828' }, DARK_TEXT, DARK_ON_LIGHT),
};

/** Teams shows an Action.ShowCard's card in this container style. */
export const SHOW_CARD_STYLE: ContainerStyle = 'emphasis';

type Rgba = readonly [number, number, number, number];

/** `#RRGGBB` or `#AARRGGBB` as red, green, blue (0–255) and alpha (0–1). */
export function parseColor(hex: string): Rgba {
  const digits = hex.replace(/^#/, '');
  if (!/^([0-9a-f]{6}|[0-9a-f]{8})$/i.test(digits)) throw new Error(`not a colour: ${hex}`);
  const byte = (i: number): number => parseInt(digits.slice(i, i + 2), 16);
  return digits.length === 8
    ? [byte(2), byte(4), byte(6), byte(0) / 255]
    : [byte(0), byte(2), byte(4), 1];
}

/** WCAG 2 relative luminance of an opaque colour. */
function luminance([r, g, b]: Rgba): number {
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** A translucent colour as it shows over an opaque one. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  const mix = (i: number): number => top[i] * a + bottom[i] * (1 - a);
  return [mix(0), mix(1), mix(2), 1];
}

/** WCAG 2 contrast ratio of text in `foreground` on `background` (1 to 21). */
export function contrast(foreground: string, background: string): number {
  const bg = parseColor(background);
  const opaqueBg: Rgba = [bg[0], bg[1], bg[2], 1];
  const fg = luminance(over(parseColor(foreground), opaqueBg));
  const back = luminance(opaqueBg);
  return (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05);
}
