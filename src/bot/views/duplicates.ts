import type { DuplicateFlag } from '../../domain/claim';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

export interface DuplicateView {
  readonly key: string;
  readonly duplicateLine: string;
  readonly checked: boolean;
  readonly canCheck: boolean;
}

/** "Also on CLM-0012 (same file)", and who checked it; `mayCheck`: the viewer may mark it checked. */
export function duplicateViews(
  texts: Texts,
  flags: readonly DuplicateFlag[],
  mayCheck: boolean,
): DuplicateView[] {
  return flags.map((f) => {
    const claims = [
      ...f.named,
      ...(f.unnamed === 1 ? [texts.t('detail.duplicateAnother')] : []),
      ...(f.unnamed > 1 ? [texts.t('detail.duplicateOthers', { count: f.unnamed })] : []),
    ].join(', ');
    const via = texts.t(
      f.key.startsWith('f.') ? 'detail.duplicateViaFile' : 'detail.duplicateViaInvoice',
    );
    const line = texts.t('detail.duplicateAlsoOn', { claims, via });
    const checked = f.checked
      ? texts.t('detail.duplicateChecked', {
          name: literal(f.checked.by.name),
          date: texts.date(f.checked.at.slice(0, 10)),
        })
      : '';
    return {
      key: f.key,
      duplicateLine: checked ? `${line}: ${checked}` : line,
      checked: f.checked !== undefined,
      canCheck: mayCheck && f.checked === undefined,
    };
  });
}
