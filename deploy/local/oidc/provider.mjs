// The local OpenID provider, standing in for FranceConnect: the certified `oidc-provider` package with
// demo identities and French login, consent and logout pages. `make run` and the end-to-end tests start it:
//   node provider.mjs   (settings from the environment, see below)
// It offers FranceConnect's claims under FranceConnect's per-claim scopes (given_name, family_name,
// birthdate, birthplace, birthcountry, gender, email), from the userinfo endpoint, so the gateway
// talks to it exactly as it would to the real one. Everything lives in memory: a restart forgets
// sessions and codes, and its signing key (the gateway fetches the new JWKS on an unknown key id).
import crypto from 'node:crypto';
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const PORT = Number(process.env.OIDC_PORT || 8090);
const ISSUER = process.env.OIDC_ISSUER || `http://127.0.0.1:${PORT}`;
const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'france-travail-gateway';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || 'demo-oidc-gateway-secret';
// Space-separated: the gateway's callback, e.g. http://127.0.0.1:8000/auth/callback
const REDIRECT_URIS = (process.env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:8000/auth/callback').split(/\s+/).filter(Boolean);
// Where a logout may send the browser back (RP-Initiated Logout): by default the gateway's
// /auth/logout/callback on each callback's host, as the gateway's own default (gateway/oidc_provider.py).
const POST_LOGOUT_REDIRECT_URIS = (process.env.OIDC_POST_LOGOUT_REDIRECT_URIS
  || REDIRECT_URIS.map((uri) => new URL('/auth/logout/callback', uri).href).join(' ')).split(/\s+/).filter(Boolean);
const DEMO_PASSWORD = 'demo';

// Demo identities, with FranceConnect's claims. Camille is the person of the registration examples
// (services/registration/api/examples.py); Karim was born abroad (no commune, a foreign country code);
// Louis is registered nowhere, so his login finds no one.
const ACCOUNTS = {
  'camille.martin': {
    given_name: 'Camille Anne', family_name: 'Martin', birthdate: '2001-03-14', gender: 'female',
    birthplace: '49007', birthcountry: '99100', email: 'camille.martin@example.org',
  },
  'sofiane.benali': {
    given_name: 'Sofiane', family_name: 'Benali', birthdate: '1988-07-02', gender: 'male',
    birthplace: '44109', birthcountry: '99100', email: 'sofiane.benali@example.org',
  },
  'karim.haddad': {
    given_name: 'Karim Youssef', family_name: 'Haddad', birthdate: '1995-11-23', gender: 'male',
    birthplace: '', birthcountry: '99352', email: 'karim.haddad@example.org',
  },
  'louis.bernard': {
    given_name: 'Louis', family_name: 'Bernard', birthdate: '1979-01-30', gender: 'male',
    birthplace: '75056', birthcountry: '99100', email: 'louis.bernard@example.org',
  },
};

const CLAIM_SCOPES = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'email'];

const configuration = {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // FranceConnect asks one scope per claim.
  claims: Object.fromEntries([['openid', ['sub']], ...CLAIM_SCOPES.map((claim) => [claim, [claim]])]),
  findAccount: async (ctx, id) => (ACCOUNTS[id] ? {
    accountId: id,
    claims: async () => ({ sub: id, ...ACCOUNTS[id] }),
  } : undefined),
  pkce: { required: () => true },
  responseTypes: ['code'],
  features: {
    devInteractions: { enabled: false },
    // The gateway's logout ends the session here too; the person confirms on a French page of ours.
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  jwks: { keys: [{ ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: crypto.randomUUID() }] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Erreur', `<h1>La connexion a échoué</h1><p>${escape(out.error)} : ${escape(out.error_description || '')}</p>`);
  },
};

const provider = new Provider(ISSUER, configuration);

// `form` is the provider's own (id="op.logoutForm", its xsrf field inside); the buttons submit it,
// "logout=yes" ending the session, the other keeping it. The page is ours: French, no other host.
async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = page('Déconnexion', `<h1>Déconnexion</h1>
<p>Voulez-vous aussi vous déconnecter du fournisseur d'identité ? Sur un ordinateur partagé, c'est
indispensable : sinon la prochaine personne se connecterait à votre place, sans mot de passe.</p>
${form}
<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Me déconnecter</button>
<button type="submit" form="op.logoutForm">Rester connecté</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = page('Déconnexion', `<h1>Vous êtes déconnecté</h1>
<p>Votre session chez le fournisseur d'identité de démonstration est fermée.</p>`);
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function page(title, body) {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — fournisseur d'identité de démonstration</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
label{display:block;margin-top:1rem}input{font-size:1rem;padding:.3rem;width:100%}button{margin-top:1rem;font-size:1rem;padding:.4rem 1rem}</style>
</head><body><main>${body}</main></body></html>`;
}

function loginPage(uid, error) {
  const identities = Object.entries(ACCOUNTS)
    .map(([login, a]) => `<li><code>${escape(login)}</code> : ${escape(a.given_name)} ${escape(a.family_name)}</li>`).join('');
  return page('Connexion', `<h1>Connexion</h1>
<p>Fournisseur d'identité de démonstration, à la place de FranceConnect.</p>
${error ? `<p role="alert"><strong>${escape(error)}</strong></p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label for="login">Identifiant</label><input id="login" name="login" autocomplete="username" required>
<label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Se connecter</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Annuler</button></form>
<h2>Identités de démonstration</h2><p>Mot de passe : <code>${DEMO_PASSWORD}</code></p><ul>${identities}</ul>`);
}

function consentPage(uid, claims) {
  const items = claims.map((claim) => `<li>${escape(claim)}</li>`).join('');
  return page('Autorisation', `<h1>Autorisation</h1>
<p>La plateforme France Travail demande les informations suivantes pour vous retrouver :</p><ul>${items}</ul>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Continuer</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Annuler</button></form>`);
}

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
  const { prompt, params, session } = details;
  if (req.method === 'GET') {
    return prompt.name === 'login' ? send(res, 200, loginPage(uid))
      : send(res, 200, consentPage(uid, String(params.scope).split(' ').filter((s) => s !== 'openid')));
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Connexion annulée.' }, { mergeWithLastSubmission: false });
  }
  if (action === 'login') {
    const form = await formBody(req);
    const login = form.get('login') || '';
    if (!ACCOUNTS[login] || form.get('password') !== DEMO_PASSWORD) {
      return send(res, 401, loginPage(uid, 'Identifiant ou mot de passe incorrect.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm') {
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return send(res, 404, page('Introuvable', '<h1>Page introuvable</h1>'));
}

const callback = provider.callback();
const INTERACTION = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/;

http.createServer(async (req, res) => {
  const match = INTERACTION.exec(new URL(req.url, ISSUER).pathname);
  if (!match) return callback(req, res);
  try {
    return await interaction(req, res, match[1], match[2]);
  } catch (error) {
    return send(res, 400, page('Erreur', `<h1>La connexion a expiré</h1><p>Recommencez depuis la plateforme.</p>`));
  }
}).listen(PORT, '127.0.0.1', () => {
  console.log(`OpenID provider ${ISSUER} listening on 127.0.0.1:${PORT}`);
});
