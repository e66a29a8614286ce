import assert from 'node:assert/strict'
import { accessSync, constants } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

// Debian's Chromium: no browser can be downloaded here. The flags keep it off the network it cannot reach.
// KEYWORK_CHROMIUM points elsewhere; scripts/test-prerequisites.sh (npm test's first step) reads it too.
export const CHROMIUM = process.env.KEYWORK_CHROMIUM || '/usr/bin/chromium'

export const missingChromium =
  `Chromium is not installed at ${CHROMIUM}, so the browser and accessibility tests cannot run. ` +
  'npm test installs it first when it can; or install it with: apt-get update && apt-get install -y chromium.'

// Runnable, not merely there: a file that cannot be run fails the launch with a bare EACCES.
function chromiumRunnable(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function launchChromium(): Promise<Browser> {
  assert.ok(chromiumRunnable(), missingChromium)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
