import { AxeBuilder } from '@axe-core/playwright';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** The rules of WCAG 2.0 and 2.1, levels A and AA (axe-core's tags). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now and fails on any critical or serious violation, naming
 * the rule, its help text and the elements (docs/architecture.md#accessibility). Call it once the
 * screen has finished loading (after an assertion on its content); `screen` names it in the failure.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Nothing still on its way: a half-loaded screen is not the one being judged.
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, `axe on the ${screen} screen`).toEqual([]);
}
