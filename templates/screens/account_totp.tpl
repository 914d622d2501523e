{{%AUTOESCAPE context="HTML"}}
{{!nav=account}}
{{#REQUIRED}}
<div class="flash flash-warn" role="status">[[account_totp.required]]</div>
{{/REQUIRED}}
{{#OFF}}
<section class="panel">
<h2>[[account_totp.off_heading]]</h2>
<p><span class="status status-warn">[[status.off]]</span> [[account_totp.off_text]]</p>
<form class="form" method="post" action="/account/totp">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="action" value="enable">
<div class="field">
<label for="password">[[account_totp.password]]</label>
<input id="password" name="password" type="password" maxlength="1024" autocomplete="current-password" required{{#ERR_password}} aria-invalid="true" aria-describedby="error-password"{{/ERR_password}}>
{{#ERR_password}}
<p class="field-error" id="error-password">{{TEXT}}</p>
{{/ERR_password}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[account_totp.enable]]</button>
</div>
</form>
</section>
{{/OFF}}
{{#SETUP}}
<section class="panel">
<h2>[[account_totp.setup_heading]]</h2>
<ol class="steps">
<li>[[account_totp.step_app]]</li>
<li>[[account_totp.step_secret]]
<p class="secret" id="totp-secret">{{#SECRET_GROUP}}<code>{{TEXT}}</code>{{#SECRET_GROUP_separator}} {{/SECRET_GROUP_separator}}{{/SECRET_GROUP}}</p>
<details class="uri">
<summary>[[account_totp.uri]]</summary>
<p><code class="wrap" id="totp-uri">{{OTPAUTH_URI}}</code></p>
</details>
</li>
<li>[[account_totp.step_confirm]]</li>
</ol>
<form class="form" method="post" action="/account/totp">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="action" value="confirm">
<div class="field">
<label for="code">[[account_totp.code]]</label>
<input id="code" name="code" type="text" inputmode="numeric" maxlength="6" autocomplete="one-time-code" required aria-describedby="hint-code{{#ERR_code}} error-code{{/ERR_code}}"{{#ERR_code}} aria-invalid="true"{{/ERR_code}}>
<p class="hint" id="hint-code">[[account_totp.code_hint]]</p>
{{#ERR_code}}
<p class="field-error" id="error-code">{{TEXT}}</p>
{{/ERR_code}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[account_totp.confirm]]</button>
<a class="btn btn-quiet" href="/account">[[common.cancel]]</a>
</div>
</form>
</section>
{{/SETUP}}
{{#RECOVERY}}
<section class="panel panel-warn">
<h2>[[account_totp.recovery_heading]]</h2>
<p>[[account_totp.recovery_text]]</p>
<ul class="recovery-codes" id="recovery-codes">
{{#RECOVERY_CODE}}
<li><code>{{CODE}}</code></li>
{{/RECOVERY_CODE}}
</ul>
<p><a class="btn btn-primary" href="/account">[[account_totp.recovery_done]]</a></p>
</section>
{{/RECOVERY}}
{{#ON}}
<section class="panel">
<h2>[[account_totp.on_heading]]</h2>
<p><span class="status status-ok">[[status.on]]</span> [[account_totp.on_text]]{{#ENABLED_AT}} [[account_totp.enabled_at]]{{/ENABLED_AT}}</p>
</section>
<section class="panel panel-danger">
<h2>[[account_totp.disable_heading]]</h2>
<p>[[account_totp.disable_text]]</p>
<form class="form" method="post" action="/account/totp">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="action" value="disable">
<div class="field">
<label for="disable-password">[[account_totp.password]]</label>
<input id="disable-password" name="password" type="password" maxlength="1024" autocomplete="current-password" required{{#ERR_password}} aria-invalid="true" aria-describedby="error-password"{{/ERR_password}}>
{{#ERR_password}}
<p class="field-error" id="error-password">{{TEXT}}</p>
{{/ERR_password}}
</div>
<div class="field">
<label for="disable-code">[[account_totp.code]]</label>
<input id="disable-code" name="code" type="text" inputmode="numeric" maxlength="32" autocomplete="one-time-code" required aria-describedby="hint-disable-code{{#ERR_code}} error-code{{/ERR_code}}"{{#ERR_code}} aria-invalid="true"{{/ERR_code}}>
<p class="hint" id="hint-disable-code">[[account_totp.disable_code_hint]]</p>
{{#ERR_code}}
<p class="field-error" id="error-code">{{TEXT}}</p>
{{/ERR_code}}
</div>
<div class="field field-check">
<input id="disable-confirm" name="confirm" type="checkbox" value="1" required>
<label for="disable-confirm">[[account_totp.disable_confirm]]</label>
</div>
<div class="actions">
<button type="submit" class="btn btn-danger">[[account_totp.disable]]</button>
</div>
</form>
</section>
{{/ON}}
