{{%AUTOESCAPE context="HTML"}}
<div class="card card-narrow">
{{#ERROR}}
<div class="flash flash-error" role="alert">{{TEXT}}</div>
{{/ERROR}}
<form class="form" method="post" action="/login/totp">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="code">[[login_totp.code]]</label>
<input id="code" name="code" type="text" inputmode="numeric" maxlength="32" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required autofocus aria-describedby="hint-code{{#ERR_code}} error-code{{/ERR_code}}"{{#ERR_code}} aria-invalid="true"{{/ERR_code}}>
<p class="hint" id="hint-code">[[login_totp.code_hint]]</p>
{{#ERR_code}}
<p class="field-error" id="error-code">{{TEXT}}</p>
{{/ERR_code}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary btn-block">[[login_totp.submit]]</button>
</div>
</form>
<p class="card-note"><a href="/login">[[login_totp.restart]]</a></p>
</div>
