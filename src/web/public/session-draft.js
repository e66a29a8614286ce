/* global document, window, HTMLTextAreaElement, HTMLInputElement */
// Saves a Key Work session draft on the server whenever a field changes (progressive enhancement: without
// JavaScript, every "Save and continue" button saves). Posts the whole form, CSRF token included, to the form's
// own action (/sessions/:id/draft) and asks for JSON; the page still works if this script never runs.
const form = document.querySelector('form[data-session-draft]')
const status = document.getElementById('draft-status')
if (form && window.fetch && window.FormData && window.URLSearchParams) {
  let timer = null
  let inFlight = null
  let again = false

  const say = (text, problem = false) => {
    if (!status) return
    status.textContent = text
    status.classList.toggle('app-draft-status--problem', problem)
  }

  // signed out (the idle timeout passed): nothing was saved, and the text must stay on the page until it is
  const signedOut = () => {
    if (!status) return
    say('Your draft was NOT saved: you have been signed out. What you typed is still on this page. ', true)
    const link = document.createElement('a')
    link.className = 'govuk-link'
    link.href = '/sign-in'
    link.target = '_blank'
    link.rel = 'noopener'
    link.textContent = 'Sign in again (opens in a new tab)'
    status.append(
      link,
      ' and carry on here, or choose “Save and continue”: you will sign in and come back to this form with everything you typed.',
    )
  }

  // signed in again in another tab: this page's CSRF token belongs to the old sign-in; take the new one from the
  // form's page (same origin only) and try once more
  const refreshToken = async () => {
    try {
      const res = await fetch(window.location.pathname, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
      })
      if (!res.ok || res.redirected) return false
      const html = await res.text()
      const token = new window.DOMParser().parseFromString(html, 'text/html').querySelector('input[name="_csrf"]')
      const field = form.querySelector('input[name="_csrf"]')
      if (!token || !field || !token.getAttribute('value')) return false
      field.setAttribute('value', token.getAttribute('value'))
      field.value = token.getAttribute('value')
      return true
    } catch {
      return false
    }
  }

  const save = async (retried = false) => {
    if (inFlight) {
      again = true
      return
    }
    const body = new URLSearchParams(new FormData(form))
    body.set('action', 'save')
    inFlight = fetch(form.getAttribute('action'), {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
    let retry = false
    try {
      const res = await inFlight
      // a redirect (to sign in, or anywhere) is not a save: only the draft route's JSON answer says it saved
      const answer = res.ok && !res.redirected ? await res.json().catch(() => null) : null
      if (answer && answer.saved) {
        const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
        say(`Draft saved at ${time}`)
      } else if (res.status === 409) {
        say('This entry has been submitted: reload the page to see it')
      } else if (res.status === 401 || (res.redirected && new URL(res.url).pathname === '/sign-in')) {
        signedOut()
      } else if (res.status === 403 && !retried && (await refreshToken())) {
        retry = true
      } else {
        say('Your draft could not be saved just now. Use "Save and continue" before leaving the page.', true)
      }
    } catch {
      say('Your draft could not be saved (no connection?). Use "Save and continue" when you are back online.', true)
    } finally {
      inFlight = null
      if (retry || again) {
        again = false
        save(retry)
      }
    }
  }

  const soon = delay => {
    clearTimeout(timer)
    timer = setTimeout(save, delay)
  }

  form.addEventListener('change', () => soon(200))
  // long text: save a little after the officer stops typing
  form.addEventListener('input', event => {
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) soon(2000)
  })
}
