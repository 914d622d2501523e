{{%AUTOESCAPE context="HTML"}}
{{!nav=users}}
{{#ONE_TIME_PASSWORD}}
<section class="panel panel-warn" aria-labelledby="otp-heading">
<h2 id="otp-heading">[[user_form.otp_heading]]</h2>
<p>[[user_form.otp_text]]</p>
<p class="otp"><code id="one-time-password">{{PASSWORD}}</code></p>
</section>
{{/ONE_TIME_PASSWORD}}
<section class="panel">
{{#NEW}}
<h2>[[user_form.new_heading]]</h2>
<form class="form" method="post" action="/admin/users/new">
{{/NEW}}
{{#EDIT}}
<h2>[[user_form.edit_heading]]</h2>
<form class="form" method="post" action="/admin/users/{{ID}}">
<input type="hidden" name="action" value="save">
{{/EDIT}}
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="login">[[user_form.login]]</label>
{{#NEW}}
<input id="login" name="login" type="text" value="{{LOGIN}}" maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false" required aria-describedby="hint-login{{#ERR_login}} error-login{{/ERR_login}}"{{#ERR_login}} aria-invalid="true"{{/ERR_login}}>
<p class="hint" id="hint-login">[[user_form.login_hint]]</p>
{{/NEW}}
{{#EDIT}}
<input id="login" type="text" value="{{LOGIN}}" readonly aria-describedby="hint-login">
<p class="hint" id="hint-login">[[user_form.login_fixed]]</p>
{{/EDIT}}
{{#ERR_login}}
<p class="field-error" id="error-login">{{TEXT}}</p>
{{/ERR_login}}
</div>
<div class="field">
<label for="name">[[user_form.name]]</label>
<input id="name" name="name" type="text" value="{{NAME}}" maxlength="100" autocomplete="off" required{{#ERR_name}} aria-invalid="true" aria-describedby="error-name"{{/ERR_name}}>
{{#ERR_name}}
<p class="field-error" id="error-name">{{TEXT}}</p>
{{/ERR_name}}
</div>
<div class="field">
<label for="role">[[user_form.role]]</label>
<select id="role" name="role" aria-describedby="hint-role{{#ERR_role}} error-role{{/ERR_role}}"{{#ERR_role}} aria-invalid="true"{{/ERR_role}}>
<option value="editor"{{#ROLE_IS_EDITOR}} selected{{/ROLE_IS_EDITOR}}>[[role.editor]]</option>
<option value="admin"{{#ROLE_IS_ADMIN}} selected{{/ROLE_IS_ADMIN}}>[[role.admin]]</option>
</select>
<p class="hint" id="hint-role">[[user_form.role_hint]]</p>
{{#ERR_role}}
<p class="field-error" id="error-role">{{TEXT}}</p>
{{/ERR_role}}
</div>
{{#EDIT}}
<div class="field field-check">
<input id="active" name="active" type="checkbox" value="1"{{#ACTIVE_CHECKED}} checked{{/ACTIVE_CHECKED}} aria-describedby="hint-active">
<label for="active">[[user_form.active]]</label>
<p class="hint" id="hint-active">[[user_form.active_hint]]</p>
{{#ERR_active}}
<p class="field-error" id="error-active">{{TEXT}}</p>
{{/ERR_active}}
</div>
{{/EDIT}}
{{#NEW}}
<p class="hint">[[user_form.new_note]]</p>
{{/NEW}}
<div class="actions">
<button type="submit" class="btn btn-primary">{{#NEW}}[[user_form.create]]{{/NEW}}{{#EDIT}}[[common.save]]{{/EDIT}}</button>
<a class="btn btn-quiet" href="/admin/users">[[common.cancel]]</a>
</div>
</form>
</section>
{{#EDIT}}
<section class="panel">
<h2>[[user_form.facts_heading]]</h2>
<dl class="facts">
<dt>[[users.col_last_login]]</dt>
<dd>{{#U_LAST_LOGIN}}<time>{{AT}}</time>{{/U_LAST_LOGIN}}{{#U_NEVER}}[[users.never]]{{/U_NEVER}}</dd>
<dt>[[users.col_totp]]</dt>
<dd>{{#U_TOTP_ON}}<span class="status status-ok">[[status.on]]</span>{{/U_TOTP_ON}}{{#U_TOTP_OFF}}<span class="status status-off">[[status.off]]</span>{{/U_TOTP_OFF}}</dd>
</dl>
</section>
<section class="panel panel-danger">
<h2>[[user_form.reset_heading]]</h2>
<p>[[user_form.reset_text]]</p>
<form class="form" method="post" action="/admin/users/{{ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="action" value="reset_password">
<div class="field field-check">
<input id="reset-confirm" name="confirm" type="checkbox" value="1" required>
<label for="reset-confirm">[[user_form.reset_confirm]]</label>
</div>
<div class="actions">
<button type="submit" class="btn btn-danger">[[user_form.reset]]</button>
</div>
</form>
</section>
{{/EDIT}}
