// Gatehouse passkeys: runs the WebAuthn ceremonies of the forms marked data-gh-passkey
// ("register", "signin" or "verify"). On submit it asks the form's action for the options (JSON,
// with the form's CSRF token), lets the browser create or get the credential, and posts that with
// the form itself to <action>/<wan_state>, whose answer is an ordinary page. No framework, no
// inline script: the pages' Content-Security-Policy allows this file and requests to this site only.
(function () {
  "use strict";

  function toBase64Url(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) {
      text += String.fromCharCode(bytes[i]);
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    const raw = atob(padded);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      return Object.assign({}, d, { id: fromBase64Url(d.id) });
    });
  }

  // The options arrive as WebAuthn's JSON forms; browsers without the parse functions get the
  // binary fields decoded here.
  function creationOptions(json) {
    if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: fromBase64Url(json.challenge),
      user: Object.assign({}, json.user, { id: fromBase64Url(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials)
    });
  }

  function requestOptions(json) {
    if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: fromBase64Url(json.challenge),
      allowCredentials: descriptors(json.allowCredentials)
    });
  }

  function credentialJson(credential) {
    if (typeof credential.toJSON === "function") {
      return credential.toJSON();
    }
    const r = credential.response;
    const response = { clientDataJSON: toBase64Url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toBase64Url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toBase64Url(r.authenticatorData);
      response.signature = toBase64Url(r.signature);
      if (r.userHandle) {
        response.userHandle = toBase64Url(r.userHandle);
      }
    }
    return {
      id: credential.id,
      rawId: toBase64Url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: response
    };
  }

  /** A refusal the server worded: its messages are shown as they are. */
  function Refusal(messages) {
    this.messages = messages;
  }

  function field(form, name) {
    const element = form.elements.namedItem(name);
    return element ? element.value : "";
  }

  async function start(form, base, kind) {
    const body = {};
    if (kind === "register") {
      body.name = field(form, "name");
      body.usage = field(form, "usage") || "first";
    }
    const answer = await fetch(base, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-CSRF-Token": field(form, "csrf_token")
      },
      body: JSON.stringify(body)
    });
    let json = null;
    try {
      json = await answer.json();
    } catch (e) {
      json = null;
    }
    const response = json && json.response ? json.response : {};
    if (!answer.ok) {
      throw new Refusal(response.errors && response.errors.length ? response.errors : [form.dataset.ghCancelled]);
    }
    return response;
  }

  function show(form, messages) {
    const box = form.querySelector("[data-gh-passkey-errors]");
    if (!box) {
      return;
    }
    box.textContent = "";
    messages.forEach(function (message) {
      const line = document.createElement("p");
      line.textContent = message;
      box.appendChild(line);
    });
    box.hidden = messages.length === 0;
  }

  function attach(form) {
    const kind = form.dataset.ghPasskey;
    const base = form.getAttribute("action");
    let busy = false;
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      show(form, []);
      if (!window.PublicKeyCredential || !navigator.credentials) {
        show(form, [form.dataset.ghUnsupported]);
        return;
      }
      busy = true;
      try {
        const started = await start(form, base, kind);
        const options = JSON.parse(started.credential_options);
        const credential = kind === "register"
          ? await navigator.credentials.create({ publicKey: creationOptions(options) })
          : await navigator.credentials.get({ publicKey: requestOptions(options) });
        if (!credential) {
          throw new Error("no credential");
        }
        form.elements.namedItem("credential").value = JSON.stringify(credentialJson(credential));
        form.setAttribute("action", base + "/" + encodeURIComponent(started.wan_state));
        // submit() sends the form without firing this handler again; the answer is a new page.
        form.submit();
      } catch (e) {
        busy = false;
        show(form, e instanceof Refusal ? e.messages : [form.dataset.ghCancelled]);
      }
    });
  }

  function init() {
    document.querySelectorAll("form[data-gh-passkey]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
