// GraphiQL works offline, from what the gateway serves alone, and its Docs panel reads
// the schema (the standard introspection query is answered despite the depth limit).
import { baseURL, expect, newUser, test } from './helpers';

test('GraphiQL loads nothing from elsewhere, documents the schema and runs a query', async ({ browser }) => {
  const { context, page } = await newUser(browser);
  const elsewhere: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'localhost' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    elsewhere.push(url.href);
    return route.abort();
  });
  await page.goto(`${baseURL}/graphiql`);
  await expect(page.getByText('GraphiQL').first()).toBeVisible();
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  await expect(page.getByText('Root Types')).toBeVisible();
  await page.getByText('Query', { exact: true }).first().click();
  await expect(page.getByText('associations', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: /execute query/i }).click();
  await expect(page.locator('.result-window, .graphiql-response').first()).toContainText('totalCount');
  expect(elsewhere).toEqual([]);
});
