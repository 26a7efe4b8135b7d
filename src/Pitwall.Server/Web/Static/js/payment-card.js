// The payment card form: the card number goes from the browser to the payment provider's card entry (the form's data-entry), never
// to Pitwall; only the provider's token is posted to the page, which stores it with the last four digits.
const form = document.getElementById('card-form');
const number = document.getElementById('card-number');
const token = document.getElementById('Token');
const error = document.getElementById('card-error');

form?.addEventListener('submit', async (event) => {
  if (token.value) return; // tokenised: the form posts the token
  event.preventDefault();
  error.hidden = true;
  let answer;
  try {
    answer = await fetch(form.dataset.entry, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: number.value }), credentials: 'omit',
    });
  } catch {
    error.textContent = form.dataset.unreachable;
    error.hidden = false;
    return;
  }
  if (!answer.ok) {
    error.textContent = form.dataset.invalid;
    error.hidden = false;
    return;
  }
  token.value = (await answer.json()).token;
  number.value = '';
  form.submit();
});
