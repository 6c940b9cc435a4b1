/** Above this share of its allocation a fund's use shows amber; above all of it, red. */
const NEARLY_USED = 80;

/**
 * The colour of a fund's use, one rule for the `funds` and overview bar and the `insights` charts:
 * good, warning above 80 %, attention above 100 %.
 */
export const usageStyle = (usedPercent: number): 'attention' | 'warning' | 'good' =>
  usedPercent > 100 ? 'attention' : usedPercent > NEARLY_USED ? 'warning' : 'good';
