{{%AUTOESCAPE context="HTML"}}
{{!nav=account}}
{{#FORCED}}
<div class="flash flash-warn" role="status">[[account_password.forced]]</div>
{{/FORCED}}
<section class="panel">
<form class="form" method="post" action="/account/password">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="current">[[account_password.current]]</label>
<input id="current" name="current" type="password" maxlength="1024" autocomplete="current-password" required{{#ERR_current}} aria-invalid="true" aria-describedby="error-current"{{/ERR_current}}>
{{#ERR_current}}
<p class="field-error" id="error-current">{{TEXT}}</p>
{{/ERR_current}}
</div>
<div class="field">
<label for="new">[[account_password.new]]</label>
<input id="new" name="new" type="password" minlength="{{MIN_LENGTH}}" maxlength="1024" autocomplete="new-password" required aria-describedby="hint-new{{#ERR_new}} error-new{{/ERR_new}}"{{#ERR_new}} aria-invalid="true"{{/ERR_new}}>
<p class="hint" id="hint-new">[[account_password.new_hint]]</p>
{{#ERR_new}}
<p class="field-error" id="error-new">{{TEXT}}</p>
{{/ERR_new}}
</div>
<div class="field">
<label for="repeat">[[account_password.repeat]]</label>
<input id="repeat" name="repeat" type="password" maxlength="1024" autocomplete="new-password" required{{#ERR_repeat}} aria-invalid="true" aria-describedby="error-repeat"{{/ERR_repeat}}>
{{#ERR_repeat}}
<p class="field-error" id="error-repeat">{{TEXT}}</p>
{{/ERR_repeat}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[account_password.submit]]</button>
<a class="btn btn-quiet" href="/account">[[common.cancel]]</a>
</div>
</form>
<p class="card-note">[[account_password.note]]</p>
</section>
