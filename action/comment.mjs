#!/usr/bin/env node
// Posts or updates one sticky pull-request comment with the cost diff (used by action.yml).
// Usage: node action/comment.mjs FILE.md
// Reads GITHUB_EVENT_PATH (the pull request's number), GITHUB_REPOSITORY, GITHUB_TOKEN and
// GITHUB_API_URL, all set by the Actions runner. The comment is found again by the marker the Markdown
// starts with, so each run edits the same comment instead of adding one.
// A comment that cannot be posted (a fork's read-only token: 403; no token; the API down) is a
// `::warning::` with why, and the script exits 0: the comment is a courtesy, the gate's own exit decides
// the check, and the steps after this one (the HTML report) still run.
import * as fs from 'fs';

const MARKER = '<!-- prompt-cost-diff -->';

/** Not posted: a warning annotation on the run (the check is left to the gate), then exit 0. */
function skip(message) {
  process.stdout.write(`::warning title=Prompt Cost comment not posted::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  process.exit(0);
}

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('prompt-cost comment: usage: node action/comment.mjs FILE.md\n');
  process.exit(2);
}
let body, event;
try {
  body = fs.readFileSync(file, 'utf8');
} catch (e) {
  skip(`the diff's Markdown could not be read (${e.message})`);
}
if (!body.includes(MARKER)) skip(`${file} has no ${MARKER} marker: it is not prompt-cost diff Markdown`);
const { GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN } = process.env;
const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
if (!GITHUB_EVENT_PATH || !GITHUB_REPOSITORY) skip('GITHUB_EVENT_PATH and GITHUB_REPOSITORY must be set (run inside GitHub Actions)');
try {
  event = JSON.parse(fs.readFileSync(GITHUB_EVENT_PATH, 'utf8'));
} catch (e) {
  skip(`the event payload ${GITHUB_EVENT_PATH} could not be read (${e.message})`);
}
const number = event?.pull_request?.number ?? (event?.issue?.pull_request ? event.issue.number : undefined);
if (!number) {
  process.stdout.write('prompt-cost comment: not a pull request event; no comment posted\n');
  process.exit(0);
}
// A pull request from a fork runs with a read-only token: it can never comment.
const headRepo = event.pull_request?.head?.repo;
const fromFork = !!headRepo && (headRepo.fork === true || (headRepo.full_name && headRepo.full_name !== GITHUB_REPOSITORY));
const forkHint = fromFork ? `: #${number} comes from a fork (${headRepo.full_name ?? 'another repository'}), and GitHub gives such runs a read-only token; the cost diff is in the job summary instead` : ' (the token needs `pull-requests: write`)';
if (!GITHUB_TOKEN) skip(`GITHUB_TOKEN is not set: pass \`github-token\` to the action${forkHint}`);

async function call(method, path, payload) {
  let res;
  try {
    res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'content-type': 'application/json', 'user-agent': 'prompt-cost-action' },
      body: payload ? JSON.stringify(payload) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    skip(`${method} ${path} failed: ${e.cause?.message ?? e.message}`);
  }
  if (!res.ok) skip(`${method} ${path} answered ${res.status} ${res.statusText}${res.status === 403 || res.status === 404 ? forkHint : ''}`);
  try {
    return await res.json();
  } catch (e) {
    skip(`${method} ${path} answered what is not JSON (${e.message})`);
  }
}

const base = `/repos/${GITHUB_REPOSITORY}/issues`;
let existing;
for (let page = 1; page <= 20 && !existing; page++) {
  const comments = await call('GET', `${base}/${number}/comments?per_page=100&page=${page}`);
  existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(MARKER));
  if (comments.length < 100) break;
}
if (existing) {
  await call('PATCH', `${base}/comments/${existing.id}`, { body });
  process.stdout.write(`prompt-cost comment: updated comment ${existing.id} on #${number}\n`);
} else {
  const created = await call('POST', `${base}/${number}/comments`, { body });
  process.stdout.write(`prompt-cost comment: posted comment ${created.id} on #${number}\n`);
}
