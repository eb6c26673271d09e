// Every page in English, French and Spanish: chosen by the browser's language,
// switchable and kept; dates, a city's times with their offset, and money written for
// the language; a refused input explained in the reader's language from the error's
// code and field, whether the form or the platform refused it.
import { adminToken, expect, gql, inDays, newUser, run, screenshot, test } from './helpers';

test('the browser’s language chooses, the switch keeps its choice, and formats follow', async ({ browser }) => {
  // A call (for money) and a session in Geneva (for times), set up through the API.
  const admin = adminToken();
  await gql(admin, `mutation($in: OpenCallInput!) { openCall(input: $in) { call { id } } }`, {
    in: {
      title: { fr: `Transferts à bas coût ${run}`, en: `Low-cost remittances ${run}` },
      description: { fr: 'Réseaux postaux et coopératives.' },
      themes: ['REMITTANCES'],
      eligibleCountries: ['SN'],
      budgetCeiling: { amount: '50000', currency: 'EUR' },
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 20 * 24 * 3600_000).toISOString(),
    },
  });
  const day = inDays(40);
  const scheduled = await gql<{ scheduleSession: { session: { id: string } } }>(
    admin,
    `mutation($in: ScheduleSessionInput!) { scheduleSession(input: $in) { session { id } } }`,
    {
      in: {
        city: 'geneva',
        title: { fr: `Envoyer de l’argent au pays ${run}`, es: `Enviar dinero a casa ${run}` },
        theme: 'REMITTANCES',
        originCountries: ['SN'],
        venue: { name: `Maison de la Paix ${run}`, address: 'Chemin Eugène-Rigot 2, Genève' },
        time: { start: `${day}T18:00`, durationMinutes: 120 },
        capacity: 30,
      },
    },
  );

  // A browser in French gets French.
  const { page } = await newUser(browser, 'fr-FR');
  await page.goto('/associations');
  await expect(page.getByRole('heading', { level: 1, name: 'Annuaire des associations' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('link', { name: 'Appels à projets' })).toBeVisible();
  await page.goto('/calls');
  await expect(page.getByText(/Jusqu’à 50\s000,00\s€/).first()).toBeVisible();
  await screenshot(page, 'languages-01-french');

  // The reader switches to Spanish; the choice stays after a reload.
  await page.getByLabel('Langue des pages').selectOption('es');
  await expect(page.getByRole('heading', { level: 1, name: 'Convocatorias' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.goto(`/dialogues/${scheduled.scheduleSession.session.id}`);
  const month = new Intl.DateTimeFormat('es-ES', { month: 'long', timeZone: 'Europe/Zurich' }).format(new Date(`${day}T12:00:00Z`));
  const dayNumber = Number(day.slice(8, 10));
  await expect(page.getByText(new RegExp(`${dayNumber} de ${month} de ${day.slice(0, 4)}.*18:00 \\(UTC\\+0[12]:00\\)`)).first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: `Enviar dinero a casa ${run}` })).toBeVisible();
  await page.reload();
  await expect(page.getByText('Plazas', { exact: true }).first()).toBeVisible();
  await screenshot(page, 'languages-02-spanish-session');

  // A text the session has only in French shows in French, marked as such.
  await page.getByLabel('Idioma de las páginas').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: `Envoyer de l’argent au pays ${run}` })).toBeVisible();
});

test('refusals are explained in the reader’s language, from the form and from the platform', async ({ browser }) => {
  // The form's own check, in French.
  const fr = await newUser(browser, 'fr-FR');
  await fr.page.goto('/register');
  await fr.page.getByLabel('Nom', { exact: true }).fill(`Association des Sénégalais de Lausanne ${run}`);
  await fr.page.getByLabel('Ville').selectOption({ label: 'Geneva' });
  await fr.page.getByRole('combobox', { name: 'Pays d’origine' }).selectOption({ label: 'Sénégal' });
  await fr.page.getByLabel('Site web').fill('ghanacoop.org');
  await fr.page.getByRole('button', { name: 'S’inscrire' }).click();
  const alert = fr.page.getByRole('alert');
  await expect(alert).toContainText('Il y a un problème');
  await expect(alert).toContainText('Une adresse http ou https complète');
  await expect(fr.page.getByLabel('Site web')).toHaveAttribute('aria-invalid', 'true');
  // Following the summary's link puts the focus on the field.
  await alert.getByRole('link').click();
  await expect(fr.page.getByLabel('Site web')).toBeFocused();
  await screenshot(fr.page, 'languages-03-french-form-check');

  // The platform's refusal (a name already taken in the city), in Spanish.
  const name = `Asociación de Senegaleses de Ginebra ${run}`;
  await gql(null, `mutation($in: RegisterAssociationInput!) { registerAssociation(input: $in) { association { id } } }`, {
    in: { name, city: 'geneva', originCountries: ['SN'] },
  });
  const es = await newUser(browser, 'es-ES');
  await es.page.goto('/register');
  await es.page.getByLabel('Nombre', { exact: true }).fill(name.toUpperCase());
  await es.page.getByLabel('Ciudad').selectOption({ label: 'Geneva' });
  await es.page.getByRole('combobox', { name: 'Países de origen' }).selectOption({ label: 'Senegal' });
  await es.page.getByRole('button', { name: 'Inscribirse' }).click();
  await expect(es.page.getByRole('alert')).toContainText(`Una asociación llamada «${name}» ya está inscrita en esta ciudad.`);
  await screenshot(es.page, 'languages-04-spanish-platform-refusal');
});
