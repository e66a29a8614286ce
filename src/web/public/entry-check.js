/* global document, window, HTMLTextAreaElement, HTMLInputElement */
// "Check my entry" as the officer types (progressive enhancement: without JavaScript the "Check my entry" button
// saves the draft and shows the same hints). A little after typing stops, posts the whole form, CSRF token included,
// to /sessions/:id/check and asks for JSON; puts the hints the server rendered into the panel, an aria-live region.
// Saves nothing, and never blocks a submit.
const form = document.querySelector('form[data-entry-check]')
const region = document.querySelector('[data-entry-check-results]')
if (form && region && window.fetch && window.FormData && window.URLSearchParams) {
  const url = form.getAttribute('data-entry-check')
  let timer = null
  let inFlight = false
  let again = false
  let last = ''
  let shown = ''

  const check = async () => {
    if (inFlight) {
      again = true
      return
    }
    const body = new URLSearchParams(new FormData(form))
    body.delete('action')
    const text = body.toString()
    if (text === last) return
    inFlight = true
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      })
      // signed out, submitted, or a refused token: leave the panel as it is (the draft script says what happened)
      const answer = res.ok && !res.redirected ? await res.json().catch(() => null) : null
      if (answer && typeof answer.html === 'string') {
        last = text
        // only a change is announced: the same hints again say nothing
        if (answer.html !== shown) {
          shown = answer.html
          region.innerHTML = answer.html
        }
      }
    } catch {
      // no connection: the button still works when it is back
    } finally {
      inFlight = false
      if (again) {
        again = false
        soon(300)
      }
    }
  }

  function soon(delay) {
    clearTimeout(timer)
    timer = setTimeout(check, delay)
  }

  form.addEventListener('change', () => soon(800))
  form.addEventListener('input', event => {
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) soon(1500)
  })
  // the first hints once the page is ready, so the panel is useful before anything is typed
  soon(0)
}
