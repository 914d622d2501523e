{{%AUTOESCAPE context="HTML"}}
{{!nav=ip}}
<p class="current-addr">[[ip.current_addr]]</p>
{{#LOCKOUT}}
<section class="panel panel-danger" id="lockout">
<h2>[[ip.lockout_heading]]</h2>
<p>[[ip.lockout_text]]</p>
<form class="form" method="post" action="/admin/ip/{{ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="cidr" value="{{FORM_CIDR}}">
<input type="hidden" name="label" value="{{FORM_LABEL}}">
<p><code>{{FORM_CIDR}}</code> {{FORM_LABEL}}</p>
<div class="field field-check">
<input id="lockout-confirm" name="confirm" type="checkbox" value="1" required>
<label for="lockout-confirm">[[ip.lockout_confirm]]</label>
</div>
<div class="actions">
<button type="submit" class="btn btn-danger">[[ip.lockout_submit]]</button>
<a class="btn btn-quiet" href="/admin/ip">[[common.cancel]]</a>
</div>
</form>
</section>
{{/LOCKOUT}}
{{#LOCKOUT_DELETE}}
<section class="panel panel-danger" id="lockout">
<h2>[[ip.lockout_heading]]</h2>
<p>[[ip.lockout_delete_text]]</p>
<form class="form" method="post" action="/admin/ip/{{ID}}/delete">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field field-check">
<input id="lockout-delete-confirm" name="confirm" type="checkbox" value="1" required>
<label for="lockout-delete-confirm">[[ip.lockout_confirm]]</label>
</div>
<div class="actions">
<button type="submit" class="btn btn-danger">[[ip.delete_anyway]]</button>
<a class="btn btn-quiet" href="/admin/ip">[[common.cancel]]</a>
</div>
</form>
</section>
{{/LOCKOUT_DELETE}}
<section class="panel">
<h2>[[ip_form.edit_heading]]</h2>
<form class="form" method="post" action="/admin/ip/{{ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="cidr">[[ip.cidr]]</label>
<input id="cidr" name="cidr" type="text" value="{{FORM_CIDR}}" maxlength="64" autocomplete="off" autocapitalize="none" spellcheck="false" required aria-describedby="hint-cidr{{#ERR_cidr}} error-cidr{{/ERR_cidr}}"{{#ERR_cidr}} aria-invalid="true"{{/ERR_cidr}}>
<p class="hint" id="hint-cidr">[[ip.cidr_hint]]</p>
{{#ERR_cidr}}
<p class="field-error" id="error-cidr">{{TEXT}}</p>
{{/ERR_cidr}}
</div>
<div class="field">
<label for="label">[[ip.label]]</label>
<input id="label" name="label" type="text" value="{{FORM_LABEL}}" maxlength="100" autocomplete="off" aria-describedby="hint-label{{#ERR_label}} error-label{{/ERR_label}}"{{#ERR_label}} aria-invalid="true"{{/ERR_label}}>
<p class="hint" id="hint-label">[[ip.label_hint]]</p>
{{#ERR_label}}
<p class="field-error" id="error-label">{{TEXT}}</p>
{{/ERR_label}}
</div>
<dl class="facts">
<dt>[[ip.col_added_by]]</dt>
<dd>{{ADDED_BY}}</dd>
<dt>[[ip.col_added_at]]</dt>
<dd><time>{{ADDED_AT}}</time></dd>
</dl>
<div class="actions">
<button type="submit" class="btn btn-primary">[[common.save]]</button>
<a class="btn btn-quiet" href="/admin/ip">[[common.cancel]]</a>
</div>
</form>
</section>
<section class="panel panel-danger" id="delete">
<h2>[[ip_form.delete_heading]]</h2>
<p>[[ip_form.delete_text]]</p>
<form class="form" method="post" action="/admin/ip/{{ID}}/delete">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="actions">
<button type="submit" class="btn btn-danger">[[ip_form.delete]]</button>
</div>
</form>
</section>
