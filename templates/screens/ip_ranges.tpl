{{%AUTOESCAPE context="HTML"}}
{{!nav=ip}}
<p class="current-addr">[[ip.current_addr]]</p>
{{#LOCKOUT}}
<section class="panel panel-danger" id="lockout">
<h2>[[ip.lockout_heading]]</h2>
<p>[[ip.lockout_text]]</p>
<form class="form" method="post" action="/admin/ip">
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
<div class="toolbar">
<p class="count">[[ip.count]]</p>
</div>
{{#EMPTY}}
<div class="empty">[[ip.empty]]</div>
{{/EMPTY}}
{{#HAS_ROWS}}
<div class="table-wrap">
<table class="table">
<thead>
<tr>
<th scope="col">[[ip.col_range]]</th>
<th scope="col">[[ip.col_label]]</th>
<th scope="col">[[ip.col_added_by]]</th>
<th scope="col">[[ip.col_added_at]]</th>
<th scope="col" class="col-actions"><span class="visually-hidden">[[common.actions]]</span></th>
</tr>
</thead>
<tbody>
{{#RANGE}}
<tr{{#R_HOLDS_YOU}} class="row-mark"{{/R_HOLDS_YOU}}>
<td><code>{{R_CIDR}}</code>{{#R_HOLDS_YOU}} <span class="status status-info">[[ip.holds_you]]</span>{{/R_HOLDS_YOU}}</td>
<td class="wrap">{{R_LABEL}}</td>
<td>{{R_ADDED_BY}}</td>
<td><time>{{R_ADDED_AT}}</time></td>
<td class="col-actions"><a href="/admin/ip/{{R_ID}}">[[common.edit]]<span class="visually-hidden"> {{R_CIDR}}</span></a> <a class="link-danger" href="/admin/ip/{{R_ID}}#delete">[[common.delete]]<span class="visually-hidden"> {{R_CIDR}}</span></a></td>
</tr>
{{/RANGE}}
</tbody>
</table>
</div>
{{/HAS_ROWS}}
<section class="panel" id="add">
<h2>[[ip.add_heading]]</h2>
<form class="form form-inline" method="post" action="/admin/ip">
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
<div class="actions">
<button type="submit" class="btn btn-primary">[[ip.add]]</button>
</div>
</form>
</section>
