import { post, ApiError, DaemonDown } from '../api.js';
import { h, replace } from '../dom.js';

/** The sign-in form: an API token in, a session cookie back (the token itself is not kept by the page). */
export function signIn(main, message, onSignedIn) {
  const error = h('p', { className: 'form-error', id: 'sign-in-error', role: 'alert' }, message ?? '');
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help sign-in-error', spellcheck: 'false' });
  const form = h('form', { className: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    token,
    h('p', { id: 'token-help', className: 'help' }, 'A token from ', h('code', {}, 'slipway token create'), ', or the admin token in the state directory\'s ', h('code', {}, 'admin.token'), '. Your role is the token\'s role.'),
    h('button', { type: 'submit' }, 'Sign in'),
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.textContent = '';
    try {
      const session = await post('/api/v1/session', { token: token.value });
      token.value = '';
      await onSignedIn(session);
    } catch (failure) {
      if (failure instanceof ApiError) error.textContent = failure.message;
      else if (failure instanceof DaemonDown) error.textContent = 'The daemon is not answering; try again when it is up.';
      else throw failure;
    }
  });
  replace(main, form);
  token.focus();
}
