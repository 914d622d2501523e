{{%AUTOESCAPE context="HTML"}}
<div class="card card-narrow">
{{#ERROR}}
<div class="flash flash-error" role="alert">{{TEXT}}</div>
{{/ERROR}}
<form class="form" method="post" action="/login">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="login">[[login.login]]</label>
<input id="login" name="login" type="text" value="{{LOGIN}}" maxlength="64" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus{{#ERR_login}} aria-invalid="true" aria-describedby="error-login"{{/ERR_login}}>
{{#ERR_login}}
<p class="field-error" id="error-login">{{TEXT}}</p>
{{/ERR_login}}
</div>
<div class="field">
<label for="password">[[login.password]]</label>
<input id="password" name="password" type="password" maxlength="1024" autocomplete="current-password" required{{#ERR_password}} aria-invalid="true" aria-describedby="error-password"{{/ERR_password}}>
{{#ERR_password}}
<p class="field-error" id="error-password">{{TEXT}}</p>
{{/ERR_password}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary btn-block">[[login.submit]]</button>
</div>
</form>
<p class="card-note">[[login.help]]</p>
<p class="lang-links"><a href="?lang=ja" lang="ja" hreflang="ja"[[@lang:ja]]>日本語</a> <span aria-hidden="true">·</span> <a href="?lang=en" lang="en" hreflang="en"[[@lang:en]]>English</a></p>
</div>
