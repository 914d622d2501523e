{{%AUTOESCAPE context="HTML"}}
{{!nav=account}}
<section class="panel">
<h2>[[account.prefs]]</h2>
<form class="form" method="post" action="/account">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="lang">[[account.lang]]</label>
<select id="lang" name="lang"{{#ERR_lang}} aria-invalid="true" aria-describedby="error-lang"{{/ERR_lang}}>
<option value="ja" lang="ja"{{#LANG_JA}} selected{{/LANG_JA}}>日本語</option>
<option value="en" lang="en"{{#LANG_EN}} selected{{/LANG_EN}}>English</option>
</select>
{{#ERR_lang}}
<p class="field-error" id="error-lang">{{TEXT}}</p>
{{/ERR_lang}}
</div>
<div class="field">
<label for="tz">[[account.tz]]</label>
<select id="tz" name="tz" aria-describedby="hint-tz{{#ERR_tz}} error-tz{{/ERR_tz}}"{{#ERR_tz}} aria-invalid="true"{{/ERR_tz}}>
{{#TZ_OPTION}}
<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/TZ_OPTION}}
</select>
<p class="hint" id="hint-tz">[[account.tz_hint]]</p>
{{#ERR_tz}}
<p class="field-error" id="error-tz">{{TEXT}}</p>
{{/ERR_tz}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[common.save]]</button>
</div>
</form>
</section>
<section class="panel">
<h2>[[account.security]]</h2>
<dl class="facts">
<dt>[[account.password]]</dt>
<dd>{{#PASSWORD_CHANGED}}[[account.password_changed]] {{/PASSWORD_CHANGED}}<a href="/account/password">[[account.password_change]]</a></dd>
<dt>[[account.totp]]</dt>
<dd>
{{#TOTP_ON}}
<span class="status status-ok">[[status.on]]</span>
<a href="/account/totp">[[account.totp_manage]]</a>
{{/TOTP_ON}}
{{#TOTP_OFF}}
<span class="status status-warn">[[status.off]]</span>
<a href="/account/totp">[[account.totp_enable]]</a>
{{/TOTP_OFF}}
</dd>
</dl>
</section>
