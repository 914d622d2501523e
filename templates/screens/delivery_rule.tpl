{{%AUTOESCAPE context="HTML"}}
{{!nav=delivery}}
<section class="panel">
<h2>[[delivery_rule.edit_heading]]</h2>
<form class="form" method="post" action="/admin/delivery/rule/{{ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="position">[[delivery.position]]</label>
<input id="position" name="position" type="text" value="{{FORM_POSITION}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-position{{#ERR_position}} error-position{{/ERR_position}}"{{#ERR_position}} aria-invalid="true"{{/ERR_position}}>
<p class="hint" id="hint-position">[[delivery.position_hint]]</p>
{{#ERR_position}}
<p class="field-error" id="error-position">{{TEXT}}</p>
{{/ERR_position}}
</div>
<div class="field">
<label for="rule_domain">[[delivery.rule_domain]]</label>
<input id="rule_domain" name="rule_domain" type="text" value="{{FORM_RULE_DOMAIN}}" maxlength="253" autocomplete="off" spellcheck="false" aria-describedby="hint-rule_domain{{#ERR_rule_domain}} error-rule_domain{{/ERR_rule_domain}}"{{#ERR_rule_domain}} aria-invalid="true"{{/ERR_rule_domain}}>
<p class="hint" id="hint-rule_domain">[[delivery.rule_domain_hint]]</p>
{{#ERR_rule_domain}}
<p class="field-error" id="error-rule_domain">{{TEXT}}</p>
{{/ERR_rule_domain}}
</div>
<div class="field">
<label for="code">[[delivery.code]]</label>
<input id="code" name="code" type="text" value="{{FORM_CODE}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-code{{#ERR_code}} error-code{{/ERR_code}}"{{#ERR_code}} aria-invalid="true"{{/ERR_code}}>
<p class="hint" id="hint-code">[[delivery.code_hint]]</p>
{{#ERR_code}}
<p class="field-error" id="error-code">{{TEXT}}</p>
{{/ERR_code}}
</div>
<div class="field">
<label for="enhanced">[[delivery.enhanced]]</label>
<input id="enhanced" name="enhanced" type="text" value="{{FORM_ENHANCED}}" maxlength="15" autocomplete="off" spellcheck="false" aria-describedby="hint-enhanced{{#ERR_enhanced}} error-enhanced{{/ERR_enhanced}}"{{#ERR_enhanced}} aria-invalid="true"{{/ERR_enhanced}}>
<p class="hint" id="hint-enhanced">[[delivery.enhanced_hint]]</p>
{{#ERR_enhanced}}
<p class="field-error" id="error-enhanced">{{TEXT}}</p>
{{/ERR_enhanced}}
</div>
<div class="field">
<label for="text">[[delivery.text]]</label>
<input id="text" name="text" type="text" value="{{FORM_TEXT}}" maxlength="128" autocomplete="off" spellcheck="false" aria-describedby="hint-text{{#ERR_text}} error-text{{/ERR_text}}"{{#ERR_text}} aria-invalid="true"{{/ERR_text}}>
<p class="hint" id="hint-text">[[delivery.text_hint]]</p>
{{#ERR_text}}
<p class="field-error" id="error-text">{{TEXT}}</p>
{{/ERR_text}}
</div>
<div class="field">
<label for="action">[[delivery.action]]</label>
<select id="action" name="action"{{#ERR_action}} aria-invalid="true" aria-describedby="error-action"{{/ERR_action}}>
{{#ACTION_OPT}}<option value="{{O_VALUE}}"{{#O_SEL}} selected{{/O_SEL}}>{{O_LABEL}}</option>{{/ACTION_OPT}}
</select>
{{#ERR_action}}
<p class="field-error" id="error-action">{{TEXT}}</p>
{{/ERR_action}}
</div>
<div class="field">
<label for="scope">[[delivery.scope]]</label>
<select id="scope" name="scope"{{#ERR_scope}} aria-invalid="true" aria-describedby="error-scope"{{/ERR_scope}}>
{{#SCOPE_OPT}}<option value="{{O_VALUE}}"{{#O_SEL}} selected{{/O_SEL}}>{{O_LABEL}}</option>{{/SCOPE_OPT}}
</select>
{{#ERR_scope}}
<p class="field-error" id="error-scope">{{TEXT}}</p>
{{/ERR_scope}}
</div>
<div class="field">
<label for="seconds">[[delivery.seconds]]</label>
<input id="seconds" name="seconds" type="text" value="{{FORM_SECONDS}}" maxlength="12" autocomplete="off" spellcheck="false" inputmode="numeric" required aria-describedby="hint-seconds{{#ERR_seconds}} error-seconds{{/ERR_seconds}}"{{#ERR_seconds}} aria-invalid="true"{{/ERR_seconds}}>
<p class="hint" id="hint-seconds">[[delivery.seconds_hint]]</p>
{{#ERR_seconds}}
<p class="field-error" id="error-seconds">{{TEXT}}</p>
{{/ERR_seconds}}
</div>
<div class="field field-check">
<input id="rule_enabled" name="rule_enabled" type="checkbox" value="1"{{#FORM_RULE_ENABLED}} checked{{/FORM_RULE_ENABLED}}>
<label for="rule_enabled">[[delivery.enabled]]</label>
</div>
<div class="field">
<label for="rule_note">[[delivery.note]]</label>
<input id="rule_note" name="rule_note" type="text" value="{{FORM_RULE_NOTE}}" maxlength="255" autocomplete="off" spellcheck="false" aria-describedby="{{#ERR_rule_note}} error-rule_note{{/ERR_rule_note}}"{{#ERR_rule_note}} aria-invalid="true"{{/ERR_rule_note}}>
{{#ERR_rule_note}}
<p class="field-error" id="error-rule_note">{{TEXT}}</p>
{{/ERR_rule_note}}
</div>
<div class="actions">
<button type="submit" class="btn btn-primary">[[common.save]]</button>
<a class="btn btn-quiet" href="/admin/delivery">[[common.cancel]]</a>
</div>
</form>
</section>
<section class="panel panel-danger" id="delete">
<h2>[[delivery_rule.delete_heading]]</h2>
<p>[[delivery_rule.delete_text]]</p>
<form class="form" method="post" action="/admin/delivery/rule/{{ID}}/delete">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="actions">
<button type="submit" class="btn btn-danger">[[delivery_rule.delete]]</button>
</div>
</form>
</section>
