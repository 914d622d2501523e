// issue2.test.mjs - issue 2 in a real browser: the first administrator signs
// in with the one-time password, must change it, adds an IP range, creates
// an editor (one-time password read from #one-time-password) and signs out;
// the editor signs in, changes the forced password and is refused (403) on
// /admin/users, /admin/ip and /admin/audit. A screenshot of every screen
// (the login page in both languages) goes to $TEGAMI_TEST_TMP/screenshots/.
//
// Environment: TEGAMI_URL, TEGAMI_BROWSER_LOGIN / TEGAMI_BROWSER_PASSWORD
// (a fresh administrator and its one-time password; tests/run.sh makes
// one), TEGAMI_TEST_TMP.
import { BASE, Suite, expect, pathOf, randomPassword } from './lib.mjs';

const s = new Suite('issue2');
const adminLogin = process.env.TEGAMI_BROWSER_LOGIN || 'admin';
const adminOtp = process.env.TEGAMI_BROWSER_PASSWORD;
const tag = Date.now().toString(36).slice(-5);
const editorLogin = `editor-${tag}`;
const cidr = '192.0.2.0/24';

if (!adminOtp) {
	s.notOk('environment', 'TEGAMI_BROWSER_PASSWORD is not set ' +
	    '(run from tests/run.sh)');
	await s.done();
}

const page = await s.start();

// formWith(name) - the form holding a field called name.
function formWith(name) {
	return page.locator('form', {
		has: page.locator(`[name="${name}"]`),
	}).first();
}

// submit(form) - clicks the form's submit button, waits for the next page.
async function submit(form) {
	const button = form.locator('button[type="submit"], ' +
	    'input[type="submit"], button:not([type])').first();
	const [resp] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		button.click(),
	]);
	return resp;
}

async function signIn(login, password) {
	const r = await page.goto(`${BASE}/login`);
	expect(r.status() === 200, `GET /login answered ${r.status()}`);
	const f = formWith('password');
	await f.locator('[name="login"]').fill(login);
	await f.locator('[name="password"]').fill(password);
	return submit(f);
}

async function changeForcedPassword(login, current, label) {
	expect(pathOf(page) === '/account/password',
	    `after sign-in the browser is on ${pathOf(page)}, ` +
	    'not the forced password change');
	await s.shot(`${label}-forced-password`);
	const fresh = randomPassword();
	const f = formWith('repeat');
	await f.locator('[name="current"]').fill(current);
	await f.locator('[name="new"]').fill(fresh);
	await f.locator('[name="repeat"]').fill(fresh);
	const r = await submit(f);
	expect(r.status() < 400, `password change answered ${r.status()}`);
	expect(pathOf(page) !== '/account/password',
	    'still on /account/password after the change: ' +
	    (await page.locator('.field-error, .flash').allInnerTexts())
	    .join(' / '));
	const who = await page.locator('#current-user').innerText();
	expect(who.trim() === login, `#current-user shows "${who}"`);
	await s.shot(`${label}-after-password-change`);
	return fresh;
}

async function langOf() {
	return page.evaluate(() => document.documentElement.lang || '');
}

await s.step('login page in Japanese', async () => {
	await page.setExtraHTTPHeaders({ 'Accept-Language': 'ja' });
	const r = await page.goto(`${BASE}/login`);
	expect(r.status() === 200, `GET /login answered ${r.status()}`);
	await page.locator('#page-login').waitFor();
	await s.shot('login-ja');
	const lang = await langOf();
	expect(lang.startsWith('ja'), `<html lang="${lang}">`);
});

await s.step('login page in English', async () => {
	await page.setExtraHTTPHeaders({ 'Accept-Language': 'en' });
	await page.goto(`${BASE}/login`);
	if (!(await langOf()).startsWith('en')) {
		// No Accept-Language negotiation: use the page's switcher.
		const sw = page.locator('form[action$="/lang"]', {
			has: page.locator('[name="lang"]'),
		}).first();
		if (await sw.count() > 0) {
			const b = sw.locator('button[value="en"]');
			if (await b.count() > 0) {
				await Promise.all([page.waitForNavigation(),
				    b.first().click()]);
			} else {
				await sw.locator('[name="lang"]')
				    .selectOption('en');
				await submit(sw);
			}
		} else {
			const a = page.locator('a[href*="lang=en"]').first();
			if (await a.count() > 0)
				await Promise.all([page.waitForNavigation(),
				    a.click()]);
		}
	}
	await s.shot('login-en');
	const lang = await langOf();
	expect(lang.startsWith('en'), `<html lang="${lang}">`);
	await page.setExtraHTTPHeaders({});
});

let adminPassword;
await s.step('administrator signs in with the one-time password',
    async () => {
	const r = await signIn(adminLogin, adminOtp);
	expect(r.status() < 400, `POST /login answered ${r.status()}`);
});

await s.step('administrator is made to change the password', async () => {
	adminPassword = await changeForcedPassword(adminLogin, adminOtp,
	    'admin');
});

await s.step('administrator adds an IP range', async () => {
	const r = await page.goto(`${BASE}/admin/ip`);
	expect(r.status() === 200, `GET /admin/ip answered ${r.status()}`);
	await s.shot('admin-ip');
	const f = formWith('cidr');
	await f.locator('[name="cidr"]').fill(cidr);
	await f.locator('[name="label"]').fill('browser test office');
	const p = await submit(f);
	expect(p.status() < 400, `POST /admin/ip answered ${p.status()}`);
	await s.shot('admin-ip-added');
	const text = await page.locator('main').innerText();
	expect(text.includes(cidr), `${cidr} is not listed after adding it`);
});

let editorOtp;
await s.step('administrator creates an editor', async () => {
	const r = await page.goto(`${BASE}/admin/users/new`);
	expect(r.status() === 200,
	    `GET /admin/users/new answered ${r.status()}`);
	await s.shot('admin-users-new');
	const f = formWith('role');
	await f.locator('[name="login"]').fill(editorLogin);
	await f.locator('[name="name"]').fill('Browser Editor');
	const role = f.locator('[name="role"]');
	const tagName = await role.first().evaluate((e) => e.tagName);
	if (tagName === 'SELECT')
		await role.selectOption('editor');
	else
		await f.locator('[name="role"][value="editor"]').check();
	const p = await submit(f);
	expect(p.status() < 400,
	    `POST /admin/users/new answered ${p.status()}`);
	editorOtp = (await page.locator('#one-time-password').innerText())
	    .trim();
	expect(editorOtp.length >= 8,
	    `one-time password "${editorOtp}" looks wrong`);
	await s.shot('admin-user-created');
});

await s.step('administrator sees the users table', async () => {
	const r = await page.goto(`${BASE}/admin/users`);
	expect(r.status() === 200, `GET /admin/users answered ${r.status()}`);
	const text = await page.locator('main').innerText();
	expect(text.includes(editorLogin), `${editorLogin} is not listed`);
	await s.shot('admin-users');
});

await s.step('administrator sees the delivery screen', async () => {
	const r = await page.goto(`${BASE}/admin/delivery`);
	expect(r.status() === 200,
	    `GET /admin/delivery answered ${r.status()}`);
	expect(await page.locator('#alerts').count() === 1,
	    'no alerts section on /admin/delivery');
	await s.shot('admin-delivery');
});

await s.step('administrator signs out', async () => {
	const f = page.locator('form[action="/logout"]').first();
	await submit(f);
	expect(pathOf(page) === '/login', `after sign-out on ${pathOf(page)}`);
	const r = await page.goto(`${BASE}/admin/users`);
	expect(pathOf(page) === '/login' || r.status() >= 300,
	    '/admin/users still served after sign-out');
	await s.shot('signed-out');
});

await s.step('editor signs in with the one-time password', async () => {
	const r = await signIn(editorLogin, editorOtp);
	expect(r.status() < 400, `POST /login answered ${r.status()}`);
});

await s.step('editor is made to change the password', async () => {
	await changeForcedPassword(editorLogin, editorOtp, 'editor');
});

for (const path of ['/admin/users', '/admin/ip', '/admin/audit',
    '/admin/delivery']) {
	await s.step(`editor is refused ${path}`, async () => {
		const r = await page.goto(`${BASE}${path}`);
		await s.shot(`editor-refused-${path}`);
		expect(r.status() === 403, `${path} answered ${r.status()}`);
	});
}

if (!s.stopped) {
	const errs = s.consoleErrors.filter((m) =>
	    !m.startsWith('Failed to load resource'));
	s.check('no script or Content-Security-Policy errors in the console',
	    errs.length === 0, errs.join(' | '));
}

await s.done();
