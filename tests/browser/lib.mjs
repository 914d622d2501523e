// lib.mjs - the tiny harness of the browser tests: Debian's Chromium driven
// by playwright-core (no browser download), one "ok - " / "not ok - " line
// per check, screenshots under $TEGAMI_TEST_TMP/screenshots/.
//
//	import { Suite } from './lib.mjs';
//	const s = new Suite('issue2');
//	const page = await s.start();
//	await s.step('sign in', async () => { ... });	// throws = not ok
//	await s.done();					// exit status
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export const BASE = process.env.TEGAMI_URL || 'http://127.0.0.1:8080';
const TMP = process.env.TEGAMI_TEST_TMP || '/tmp';

export class Suite {
	constructor(name) {
		this.name = name;
		this.passed = 0;
		this.failed = 0;
		this.stopped = false;
		this.shots = 0;
		this.consoleErrors = [];
		this.shotDir = join(TMP, 'screenshots');
		mkdirSync(this.shotDir, { recursive: true });
	}

	// start() - a fresh profile and a page; every request waits at most
	// 30 s (a hang is a failure, never a pass condition).
	async start() {
		const dir = join(TMP, 'browser');
		mkdirSync(dir, { recursive: true });
		const profile = mkdtempSync(join(dir, `${this.name}-profile-`));
		this.context = await chromium.launchPersistentContext(profile, {
			executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu',
			    '--disable-background-networking',
			    '--disable-component-update', '--disable-sync',
			    '--no-first-run', '--disable-quic'],
			viewport: { width: 1280, height: 800 },
		});
		this.context.setDefaultTimeout(30000);
		this.context.setDefaultNavigationTimeout(30000);
		this.page = this.context.pages()[0] ||
		    await this.context.newPage();
		this.page.on('console', (m) => {
			if (m.type() === 'error')
				this.consoleErrors.push(m.text());
		});
		this.page.on('pageerror', (e) =>
		    this.consoleErrors.push(String(e)));
		return this.page;
	}

	ok(what) {
		this.passed++;
		console.log(`ok - ${this.name}: ${what}`);
	}

	notOk(what, why) {
		this.failed++;
		const msg = String(why).split('\n')[0];
		console.log(`not ok - ${this.name}: ${what}: ${msg}`);
	}

	check(what, cond, why) {
		if (cond)
			this.ok(what);
		else
			this.notOk(what, why || 'check failed');
		return cond;
	}

	// step(what, fn) - runs fn; a throw is one failure and stops the
	// steps that follow (they depend on it).
	async step(what, fn) {
		if (this.stopped)
			return;
		try {
			await fn();
			this.ok(what);
		} catch (e) {
			this.notOk(what, e && e.message ? e.message : e);
			await this.shot(`failed-${what}`).catch(() => {});
			this.stopped = true;
		}
	}

	// shot(label) - a full-page PNG of the current page.
	async shot(label) {
		this.shots++;
		const n = String(this.shots).padStart(2, '0');
		const file = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
		const path = join(this.shotDir,
		    `${this.name}-${n}-${file}.png`);
		await this.page.screenshot({ path, fullPage: true });
		return path;
	}

	async done() {
		if (this.context)
			await this.context.close().catch(() => {});
		console.log(`${this.name}: ${this.passed} passed, ` +
		    `${this.failed} failed`);
		process.exit(this.failed === 0 ? 0 : 1);
	}
}

// path(page) - the path of the page's URL.
export function pathOf(page) {
	return new URL(page.url()).pathname;
}

// expect(cond, message) - throws unless cond.
export function expect(cond, message) {
	if (!cond)
		throw new Error(message);
}

// randomPassword() - 20 characters, letters and digits.
export function randomPassword() {
	const abc = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	let s = '';
	for (let i = 0; i < 20; i++)
		s += abc[Math.floor(Math.random() * abc.length)];
	return s + '!7';
}
