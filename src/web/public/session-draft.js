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

  const say = text => {
    if (status) status.textContent = text
  }

  const save = async () => {
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
    try {
      const res = await inFlight
      if (res.ok) {
        const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
        say(`Draft saved at ${time}`)
      } else if (res.status === 409) {
        say('This entry has been submitted: reload the page to see it')
      } else {
        say('Your draft could not be saved just now. Use "Save and continue" before leaving the page.')
      }
    } catch {
      say('Your draft could not be saved (no connection?). Use "Save and continue" when you are back online.')
    } finally {
      inFlight = null
      if (again) {
        again = false
        save()
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
