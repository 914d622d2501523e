{{%AUTOESCAPE context="HTML"}}
{{!nav=security}}
<section class="panel">
<form class="form" method="post" action="/admin/security">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field field-check">
<input id="require_totp_admin" name="require_totp_admin" type="checkbox" value="1"{{#REQUIRE_TOTP_ADMIN}} checked{{/REQUIRE_TOTP_ADMIN}} aria-describedby="hint-require">
<label for="require_totp_admin">[[security.require_totp]]</label>
<p class="hint" id="hint-require">[[security.require_totp_hint]]</p>
</div>
{{#ADMINS_WITHOUT_TOTP}}
<div class="flash flash-warn" role="status">[[security.admins_without]]</div>
{{/ADMINS_WITHOUT_TOTP}}
<div class="actions">
<button type="submit" class="btn btn-primary">[[common.save]]</button>
</div>
</form>
</section>
