/**
 * The document operations of the local `ssm` endpoint: CreateDocument, GetDocument, UpdateDocument, DeleteDocument,
 * ListDocuments, DescribeDocument and UpdateDocumentDefaultVersion, for Automation documents (schema 0.3, JSON or
 * YAML). Versions are numbered from 1; UpdateDocument adds one and moves LatestVersion, only
 * UpdateDocumentDefaultVersion moves DefaultVersion; a version argument is `$LATEST`, `$DEFAULT` or a number.
 *
 * Documents owned by `Amazon` (AWSIncidents-CriticalIncidentRunbookTemplate, shipped in ./builtin) are there from the
 * first start, read-only, as AWS's own runbooks are in every account.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type AutomationDocument,
  type DocumentFormat,
  parseContent,
  renderContent,
  validateDocument,
} from './document.ts';
import { invalidMember, SsmError } from './errors.ts';
import type { AutomationStore, DocumentMeta, DocumentVersion } from './store.ts';

type Input = Record<string, unknown>;

const NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const RESERVED_PREFIXES = ['aws', 'amazon', 'amzn'];
const VERSION = /^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$/;

export const BUILTIN_DIRECTORY = fileURLToPath(new URL('./builtin/', import.meta.url));

const text = (input: Input, member: string, required = false): string | undefined => {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw invalidMember(member, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw invalidMember(member, 'Member must be a string', value);
  return value;
};

/** A document name, or the name in a document ARN (`arn:aws:ssm:<region>:<account>:document/<name>`). */
export const documentNameOf = (nameOrArn: string) =>
  nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.indexOf(':document/') + ':document/'.length) : nameOrArn;

const formatOf = (input: Input, member = 'DocumentFormat'): DocumentFormat => {
  const format = text(input, member) ?? 'JSON';
  if (format === 'TEXT') throw invalidMember(member, 'Automation documents are JSON or YAML, not TEXT', format);
  if (format !== 'JSON' && format !== 'YAML')
    throw invalidMember(member, 'Member must satisfy enum value set: [YAML, JSON, TEXT]', format);
  return format;
};

/** JSON with sorted keys: the stored tree comes back from DynamoDB with its map keys in another order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const hashOf = (content: string) => createHash('sha256').update(content).digest('hex');

export class Documents {
  constructor(
    private readonly store: AutomationStore,
    private readonly service: { accountId: string; region: string; partition?: string },
  ) {}

  /** Puts the Amazon-owned documents shipped with the engine in place (idempotent). */
  async installBuiltins(directory = BUILTIN_DIRECTORY): Promise<void> {
    for (const file of readdirSync(directory).filter((f) => /\.(ya?ml|json)$/.test(f))) {
      const name = file.replace(/\.(ya?ml|json)$/, '');
      const format: DocumentFormat = file.endsWith('.json') ? 'JSON' : 'YAML';
      const content = readFileSync(`${directory}/${file}`, 'utf8');
      const existing = await this.store.getDocument(name);
      const latest = existing ? await this.store.getVersion(name, existing.latestVersion) : undefined;
      if (latest?.hash === hashOf(content)) continue;
      const parsed = validateDocument(parseContent(content, format));
      const version = (existing?.latestVersion ?? 0) + 1;
      const now = Date.now();
      await this.store.putVersion(
        {
          name,
          owner: 'Amazon',
          createdDate: existing?.createdDate ?? now,
          latestVersion: version,
          defaultVersion: version,
          tags: [],
          versionNames: {},
        },
        { name, version, format, content, parsed, hash: hashOf(content), createdDate: now },
        existing?.latestVersion,
      );
    }
  }

  private async load(nameOrArn: string, version?: string, versionName?: string, missing = 'InvalidDocument' as const) {
    const name = documentNameOf(nameOrArn);
    const meta = await this.store.getDocument(name);
    if (!meta) throw new SsmError(missing, `Document with name ${name} does not exist.`);
    let number: number;
    if (versionName !== undefined) {
      const found = meta.versionNames[versionName];
      if (found === undefined)
        throw new SsmError('InvalidDocumentVersion', `Document ${name} has no version named ${versionName}.`);
      number = found;
    } else if (version === undefined || version === '$DEFAULT') number = meta.defaultVersion;
    else if (version === '$LATEST') number = meta.latestVersion;
    else if (/^[1-9][0-9]*$/.test(version)) number = Number(version);
    else
      throw new SsmError('InvalidDocumentVersion', `Document version ${version} is not $LATEST, $DEFAULT or a number.`);
    const found = await this.store.getVersion(name, number);
    if (!found) throw new SsmError('InvalidDocumentVersion', `Document ${name} has no version ${version}.`);
    return { meta, version: found };
  }

  /** The document a StartAutomationExecution names, with the errors that operation models. */
  async forExecution(
    nameOrArn: string,
    version?: string,
  ): Promise<{ name: string; version: string; document: AutomationDocument }> {
    const name = documentNameOf(nameOrArn);
    const meta = await this.store.getDocument(name);
    if (!meta)
      throw new SsmError('AutomationDefinitionNotFoundException', `The automation document ${name} was not found.`);
    try {
      const found = await this.load(name, version);
      return { name, version: String(found.version.version), document: found.version.parsed };
    } catch (error) {
      if (error instanceof SsmError && error.name === 'InvalidDocumentVersion')
        throw new SsmError('AutomationDefinitionVersionNotFoundException', `${error.message}`);
      throw error;
    }
  }

  private description(meta: DocumentMeta, version: DocumentVersion) {
    const doc = version.parsed;
    return {
      Hash: version.hash,
      HashType: 'Sha256',
      Name: meta.name,
      ...(meta.displayName ? { DisplayName: meta.displayName } : {}),
      ...(version.versionName ? { VersionName: version.versionName } : {}),
      Owner: meta.owner === 'Amazon' ? 'Amazon' : this.service.accountId,
      CreatedDate: version.createdDate / 1000,
      Status: 'Active',
      DocumentVersion: String(version.version),
      ...(doc.description ? { Description: doc.description } : {}),
      Parameters: Object.entries(doc.parameters).map(([Name, p]) => ({
        Name,
        Type: p.type,
        ...(p.description ? { Description: p.description } : {}),
        ...(p.default !== undefined
          ? { DefaultValue: typeof p.default === 'string' ? p.default : JSON.stringify(p.default) }
          : {}),
      })),
      PlatformTypes: ['Windows', 'Linux', 'MacOS'],
      DocumentType: 'Automation',
      SchemaVersion: '0.3',
      LatestVersion: String(meta.latestVersion),
      DefaultVersion: String(meta.defaultVersion),
      DocumentFormat: version.format,
      Tags: meta.tags,
    };
  }

  private parse(input: Input) {
    const content = text(input, 'Content', true)!;
    const format = formatOf(input);
    return { content, format, parsed: validateDocument(parseContent(content, format)) };
  }

  async create(input: Input) {
    const name = text(input, 'Name', true)!;
    if (!NAME.test(name))
      throw invalidMember('name', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.]{3,128}$', name);
    if (RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix)))
      throw new SsmError('ValidationException', `Document names may not start with aws, amazon or amzn (${name}).`);
    const type = text(input, 'DocumentType');
    if (type !== 'Automation')
      throw new SsmError(
        'InvalidDocumentSchemaVersion',
        type === undefined
          ? 'DocumentType defaults to Command, and the local runtime stores Automation documents only: pass DocumentType Automation.'
          : `The local runtime stores Automation documents only, not ${type}.`,
      );
    const { content, format, parsed } = this.parse(input);
    const versionName = text(input, 'VersionName');
    const displayName = text(input, 'DisplayName');
    const tags = Array.isArray(input.Tags) ? (input.Tags as { Key: string; Value: string }[]) : [];
    const now = Date.now();
    const meta: DocumentMeta = {
      name,
      owner: 'Self',
      createdDate: now,
      latestVersion: 1,
      defaultVersion: 1,
      tags,
      versionNames: versionName ? { [versionName]: 1 } : {},
      ...(displayName ? { displayName } : {}),
    };
    const version: DocumentVersion = {
      name,
      version: 1,
      format,
      content,
      parsed,
      hash: hashOf(content),
      createdDate: now,
      ...(versionName ? { versionName } : {}),
    };
    if (!(await this.store.putVersion(meta, version, undefined)))
      throw new SsmError('DocumentAlreadyExists', `Document with name ${name} already exists.`);
    return { DocumentDescription: this.description(meta, version) };
  }

  async get(input: Input) {
    const { meta, version } = await this.load(
      text(input, 'Name', true)!,
      text(input, 'DocumentVersion'),
      text(input, 'VersionName'),
    );
    const format = input.DocumentFormat === undefined ? version.format : formatOf(input);
    return {
      Name: meta.name,
      CreatedDate: version.createdDate / 1000,
      ...(meta.displayName ? { DisplayName: meta.displayName } : {}),
      ...(version.versionName ? { VersionName: version.versionName } : {}),
      DocumentVersion: String(version.version),
      Status: 'Active',
      Content: format === version.format ? version.content : renderContent(version.parsed, format),
      DocumentType: 'Automation',
      DocumentFormat: format,
    };
  }

  async describe(input: Input) {
    const { meta, version } = await this.load(
      text(input, 'Name', true)!,
      text(input, 'DocumentVersion'),
      text(input, 'VersionName'),
    );
    return { Document: this.description(meta, version) };
  }

  async update(input: Input) {
    const name = documentNameOf(text(input, 'Name', true)!);
    const meta = await this.store.getDocument(name);
    if (!meta) throw new SsmError('InvalidDocument', `Document with name ${name} does not exist.`);
    if (meta.owner === 'Amazon')
      throw new SsmError(
        'InvalidDocumentOperation',
        `${name} is owned by Amazon; copy it under your own name to change it.`,
      );
    const target = text(input, 'DocumentVersion');
    if (target !== undefined && target !== '$LATEST' && target !== String(meta.latestVersion))
      throw new SsmError(
        'InvalidDocumentVersion',
        `Only the latest version (${meta.latestVersion}) of ${name} can be updated, not ${target}.`,
      );
    const { content, format, parsed } = this.parse(input);
    const latest = await this.store.getVersion(name, meta.latestVersion);
    if (latest && canonical(latest.parsed) === canonical(parsed))
      throw new SsmError(
        'DuplicateDocumentContent',
        `The content is the same as version ${meta.latestVersion} of ${name}.`,
      );
    const versionName = text(input, 'VersionName');
    if (versionName && meta.versionNames[versionName] !== undefined)
      throw new SsmError('DuplicateDocumentVersionName', `Version name ${versionName} is already used by ${name}.`);
    const number = meta.latestVersion + 1;
    const displayName = text(input, 'DisplayName');
    const next: DocumentMeta = {
      ...meta,
      latestVersion: number,
      versionNames: versionName ? { ...meta.versionNames, [versionName]: number } : meta.versionNames,
      ...(displayName ? { displayName } : {}),
    };
    const version: DocumentVersion = {
      name,
      version: number,
      format,
      content,
      parsed,
      hash: hashOf(content),
      createdDate: Date.now(),
      ...(versionName ? { versionName } : {}),
    };
    if (!(await this.store.putVersion(next, version, meta.latestVersion)))
      throw new SsmError('InvalidDocumentVersion', `${name} was updated at the same time; read it again and retry.`);
    return { DocumentDescription: this.description(next, version) };
  }

  async updateDefaultVersion(input: Input) {
    const name = documentNameOf(text(input, 'Name', true)!);
    const requested = text(input, 'DocumentVersion', true)!;
    if (!VERSION.test(requested)) throw new SsmError('InvalidDocumentVersion', `${requested} is not a version number.`);
    const { meta, version } = await this.load(name, requested);
    if (meta.owner === 'Amazon') throw new SsmError('InvalidDocumentOperation', `${name} is owned by Amazon.`);
    await this.store.putDocumentMeta({ ...meta, defaultVersion: version.version });
    return {
      Description: {
        Name: name,
        DefaultVersion: String(version.version),
        ...(version.versionName ? { DefaultVersionName: version.versionName } : {}),
      },
    };
  }

  async delete(input: Input) {
    const name = documentNameOf(text(input, 'Name', true)!);
    const meta = await this.store.getDocument(name);
    if (!meta) throw new SsmError('InvalidDocument', `Document with name ${name} does not exist.`);
    if (meta.owner === 'Amazon') throw new SsmError('InvalidDocumentOperation', `${name} is owned by Amazon.`);
    const versionText = text(input, 'DocumentVersion');
    const versionName = text(input, 'VersionName');
    if (versionText === undefined && versionName === undefined) {
      await this.store.deleteVersions(name, 'all');
      return {};
    }
    const { version } = await this.load(name, versionText, versionName);
    if (version.version === meta.defaultVersion)
      throw new SsmError(
        'InvalidDocumentOperation',
        `Version ${version.version} is the default version of ${name}; delete the whole document or change the default first.`,
      );
    await this.store.deleteVersions(name, [version.version]);
    if (version.version === meta.latestVersion) {
      const remaining = (await this.store.listVersions(name)).map((v) => v.version);
      await this.store.putDocumentMeta({ ...meta, latestVersion: Math.max(...remaining) });
    }
    return {};
  }

  async list(input: Input) {
    const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 50)
      throw invalidMember('maxResults', 'Member must have value less than or equal to 50', input.MaxResults);
    const filters = [
      ...((input.Filters as { Key?: string; Values?: string[] }[] | undefined) ?? []),
      ...((input.DocumentFilterList as { key?: string; value?: string }[] | undefined) ?? []).map((f) => ({
        Key: f.key === 'Owner' ? 'Owner' : f.key,
        Values: f.value === undefined ? [] : [f.value],
      })),
    ];
    const metas = (
      await Promise.all((await this.store.listDocumentNames()).map((n) => this.store.getDocument(n)))
    ).filter((m): m is DocumentMeta => m !== undefined);
    const matches = (meta: DocumentMeta) =>
      filters.every(({ Key, Values = [] }) => {
        switch (Key) {
          case 'Owner':
            return Values.some((v) =>
              v === 'Self' || v === 'Private'
                ? meta.owner === 'Self'
                : v === 'Amazon' || v === 'Public'
                  ? meta.owner === 'Amazon'
                  : v === 'All',
            );
          case 'Name':
            return Values.some((v) => meta.name.startsWith(v));
          case 'DocumentType':
            return Values.includes('Automation');
          case 'PlatformTypes':
            return Values.some((v) => ['Windows', 'Linux', 'MacOS'].includes(v));
          case 'SearchKeyword':
            return Values.some((v) => meta.name.toLowerCase().includes(v.toLowerCase()));
          default:
            if (Key?.startsWith('tag:'))
              return meta.tags.some((t) => t.Key === Key.slice(4) && (Values.length === 0 || Values.includes(t.Value)));
            throw new SsmError('InvalidFilterKey', `The filter key ${Key} is not valid for ListDocuments.`);
        }
      });
    const all = metas.filter(matches).sort((a, b) => a.name.localeCompare(b.name));
    const start = input.NextToken === undefined ? 0 : Number.parseInt(String(input.NextToken), 36);
    if (!Number.isInteger(start) || start < 0 || start > all.length)
      throw new SsmError('InvalidNextToken', 'The NextToken is not valid.');
    const page = all.slice(start, start + max);
    const identifiers = await Promise.all(
      page.map(async (meta) => {
        const version = (await this.store.getVersion(meta.name, meta.defaultVersion))!;
        return {
          Name: meta.name,
          CreatedDate: meta.createdDate / 1000,
          ...(meta.displayName ? { DisplayName: meta.displayName } : {}),
          Owner: meta.owner === 'Amazon' ? 'Amazon' : this.service.accountId,
          ...(version.versionName ? { VersionName: version.versionName } : {}),
          PlatformTypes: ['Windows', 'Linux', 'MacOS'],
          DocumentVersion: String(version.version),
          DocumentType: 'Automation',
          SchemaVersion: '0.3',
          DocumentFormat: version.format,
          Tags: meta.tags,
        };
      }),
    );
    const next = start + max < all.length ? (start + max).toString(36) : undefined;
    return { DocumentIdentifiers: identifiers, ...(next ? { NextToken: next } : {}) };
  }
}
