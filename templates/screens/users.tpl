{{%AUTOESCAPE context="HTML"}}
{{!nav=users}}
<div class="toolbar">
<p class="count">[[users.count]]</p>
<a class="btn btn-primary" href="/admin/users/new">[[users.new]]</a>
</div>
{{#EMPTY}}
<div class="empty">[[users.empty]]</div>
{{/EMPTY}}
{{#HAS_ROWS}}
<div class="table-wrap">
<table class="table">
<thead>
<tr>
<th scope="col">[[users.col_login]]</th>
<th scope="col">[[users.col_name]]</th>
<th scope="col">[[users.col_role]]</th>
<th scope="col">[[users.col_status]]</th>
<th scope="col">[[users.col_last_login]]</th>
<th scope="col">[[users.col_totp]]</th>
<th scope="col" class="col-actions"><span class="visually-hidden">[[common.actions]]</span></th>
</tr>
</thead>
<tbody>
{{#USER}}
<tr>
<td><code>{{U_LOGIN}}</code></td>
<td class="wrap">{{U_NAME}}</td>
<td>{{#U_ADMIN}}[[role.admin]]{{/U_ADMIN}}{{#U_EDITOR}}[[role.editor]]{{/U_EDITOR}}</td>
<td>{{#U_ACTIVE}}<span class="status status-ok">[[users.status_active]]</span>{{/U_ACTIVE}}{{#U_PENDING}}<span class="status status-warn">[[users.status_pending]]</span>{{/U_PENDING}}{{#U_DISABLED}}<span class="status status-off">[[users.status_disabled]]</span>{{/U_DISABLED}}</td>
<td>{{#U_LAST_LOGIN}}<time>{{AT}}</time>{{/U_LAST_LOGIN}}{{#U_NEVER}}<span class="muted">[[users.never]]</span>{{/U_NEVER}}</td>
<td>{{#U_TOTP_ON}}<span class="status status-ok">[[status.on]]</span>{{/U_TOTP_ON}}{{#U_TOTP_OFF}}<span class="status status-off">[[status.off]]</span>{{/U_TOTP_OFF}}</td>
<td class="col-actions"><a href="/admin/users/{{U_ID}}">[[common.edit]]<span class="visually-hidden"> {{U_LOGIN}}</span></a></td>
</tr>
{{/USER}}
</tbody>
</table>
</div>
{{/HAS_ROWS}}
